#include "store/dex_repository.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "store/migrations.h"
#include "store/store_test_support.h"

namespace pdex::store {
namespace {

using testing::real_dex;
using testing::small_dex;

// Everything observable about the stored dex, to prove that a failed import changed nothing.
struct Snapshot {
  std::optional<DexMeta> meta;
  DexCounts counts;
  std::optional<dex::DexData> data;
};

Snapshot snapshot(soci::session& sql) {
  Snapshot s;
  s.meta = stored_dex_meta(sql);
  s.counts = count_stored_dex(sql);
  if (s.meta) s.data = load_dex(sql);
  return s;
}

void expect_same(const Snapshot& a, const Snapshot& b) {
  ASSERT_EQ(a.meta.has_value(), b.meta.has_value());
  if (a.meta) {
    EXPECT_EQ(a.meta->content_sha256, b.meta->content_sha256);
    EXPECT_EQ(a.meta->data_sha256, b.meta->data_sha256);
    EXPECT_EQ(a.meta->imported_at, b.meta->imported_at);
  }
  EXPECT_EQ(a.counts, b.counts);
  EXPECT_TRUE(a.data == b.data);
}

// A copy of `data` with a different content hash, so that import_dex does not take it for the same data.
dex::DexData changed(dex::DexData data) {
  data.content_sha256 = std::string(64, 'e');
  return data;
}

class DexRepositoryTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    migrate(sql());
  }
};

TEST_P(DexRepositoryTest, RealDataRoundTripsExactly) {
  const dex::DexData& data = real_dex();
  const ImportResult r = import_dex(sql(), data);
  EXPECT_TRUE(r.changed);
  EXPECT_FALSE(r.previous_sha256.has_value());
  EXPECT_EQ(r.content_sha256, data.content_sha256);
  EXPECT_EQ(r.counts, count_dex(data));
  EXPECT_EQ(r.counts.species, 188);
  EXPECT_EQ(r.counts.chart_rows, 324);
  EXPECT_EQ(r.counts.types, 18);
  EXPECT_EQ(r.counts.damaging_moves + r.counts.status_moves, r.counts.moves);
  EXPECT_EQ(count_stored_dex(sql()), count_dex(data));

  const dex::DexData loaded = load_dex(sql());
  EXPECT_TRUE(loaded == data);
  // Field by field, so that a failure says where.
  EXPECT_EQ(loaded.source_packages, data.source_packages);
  EXPECT_EQ(loaded.content_sha256, data.content_sha256);
  EXPECT_TRUE(loaded.types == data.types);
  EXPECT_TRUE(loaded.chart == data.chart);
  ASSERT_EQ(loaded.species.size(), data.species.size());
  for (std::size_t i = 0; i < data.species.size(); ++i) {
    EXPECT_TRUE(loaded.species[i] == data.species[i]) << data.species[i].showdown_id;
  }
  ASSERT_EQ(loaded.moves.size(), data.moves.size());
  for (std::size_t i = 0; i < data.moves.size(); ++i) {
    EXPECT_TRUE(loaded.moves[i] == data.moves[i]) << data.moves[i].showdown_id;
  }
  EXPECT_TRUE(loaded.learnsets == data.learnsets);
  // A second connection reads the same.
  EXPECT_TRUE(load_dex(connect()->session()) == data);
}

TEST_P(DexRepositoryTest, SmallDataRoundTripsExactly) {
  import_dex(sql(), small_dex());
  EXPECT_TRUE(load_dex(sql()) == small_dex());
}

TEST_P(DexRepositoryTest, ReimportingTheSameContentChangesNothing) {
  const ImportResult first = import_dex(sql(), small_dex());
  ASSERT_TRUE(first.changed);
  const Snapshot before = snapshot(sql());
  const ImportResult second = import_dex(sql(), small_dex());
  EXPECT_FALSE(second.changed);
  EXPECT_EQ(second.previous_sha256, small_dex().content_sha256);
  EXPECT_EQ(second.counts, first.counts);
  expect_same(before, snapshot(sql()));  // imported_at included: not even the metadata was rewritten
}

TEST_P(DexRepositoryTest, NewContentReplacesEveryRow) {
  import_dex(sql(), small_dex());
  const ImportResult r = import_dex(sql(), real_dex());
  EXPECT_TRUE(r.changed);
  EXPECT_EQ(r.previous_sha256, small_dex().content_sha256);
  EXPECT_TRUE(load_dex(sql()) == real_dex());
  import_dex(sql(), small_dex());
  EXPECT_TRUE(load_dex(sql()) == small_dex());
  EXPECT_EQ(count_stored_dex(sql()), count_dex(small_dex()));
}

TEST_P(DexRepositoryTest, FailureAfterAnyTableRollsBackEverything) {
  import_dex(sql(), small_dex());
  const Snapshot before = snapshot(sql());
  for (const char* failing_table :
       {"learnsets", "types", "type_effectiveness", "pokemon", "pokemon_types", "evolutions", "mega_evolutions",
        "moves", "move_boosts", "move_secondaries", "move_secondary_boosts", "move_flags", "move_other_properties",
        "move_callbacks", "dex_source_packages", "dex_meta"}) {
    SCOPED_TRACE(failing_table);
    ImportOptions options;
    int hooks = 0;
    options.after_table = [&](std::string_view table) {
      ++hooks;
      if (table == failing_table) throw std::runtime_error("simulated crash");
    };
    EXPECT_THROW(import_dex(sql(), real_dex(), options), std::runtime_error);
    EXPECT_GE(hooks, 1);  // reached: every old row was already deleted by then
    expect_same(before, snapshot(sql()));
  }
  // The connection is still usable and the import goes through afterwards.
  EXPECT_TRUE(import_dex(sql(), real_dex()).changed);
  EXPECT_TRUE(load_dex(sql()) == real_dex());
}

TEST_P(DexRepositoryTest, RowRejectedByTheDatabaseRollsBackAndNamesTheTable) {
  import_dex(sql(), small_dex());
  const Snapshot before = snapshot(sql());
  struct Case {
    const char* table;
    void (*corrupt)(dex::DexData&);
  };
  const Case cases[] = {
      {"moves", [](dex::DexData& d) { d.moves.back().accuracy = 150; }},
      {"moves", [](dex::DexData& d) { d.moves.back().pp = 0; }},
      {"pokemon", [](dex::DexData& d) { d.species.back().base_stats.v[2] = 0; }},
      {"pokemon", [](dex::DexData& d) { d.species.back().weight_hg = -3; }},
      {"pokemon", [](dex::DexData& d) { d.species.push_back(d.species.front()); }},  // duplicate id
      {"learnsets", [](dex::DexData& d) { d.learnsets.back().level = 101; }},
      {"learnsets", [](dex::DexData& d) { d.learnsets.back().move_id = 99999; }},         // unknown move
      {"learnsets", [](dex::DexData& d) { d.learnsets.push_back(d.learnsets.back()); }},  // duplicate row
      {"move_secondaries",
       [](dex::DexData& d) {
         for (auto& m : d.moves) {
           if (!m.secondaries.empty()) m.secondaries[0].chance = 0;
         }
       }},
  };
  for (const Case& c : cases) {
    dex::DexData bad = changed(real_dex());
    c.corrupt(bad);
    try {
      import_dex(sql(), bad);
      ADD_FAILURE() << "accepted a bad row in " << c.table;
    } catch (const DatabaseError& e) {
      EXPECT_NE(std::string(e.what()).find(c.table), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
    expect_same(before, snapshot(sql()));
  }
}

TEST_P(DexRepositoryTest, UnknownSpeciesReferenceIsNamedAndRolledBack) {
  import_dex(sql(), small_dex());
  const Snapshot before = snapshot(sql());
  dex::DexData bad = changed(real_dex());
  bad.species[5].prevo = "missingno";
  try {
    import_dex(sql(), bad);
    FAIL() << "accepted an unknown prevo";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("prevo"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("missingno"), std::string::npos) << e.what();
  }
  expect_same(before, snapshot(sql()));
}

TEST_P(DexRepositoryTest, LoadingAnEmptyDatabaseSaysSo) {
  EXPECT_FALSE(stored_dex_meta(sql()).has_value());
  try {
    load_dex(sql());
    FAIL() << "loaded a dex from an empty database";
  } catch (const DatabaseError& e) {
    EXPECT_NE(std::string(e.what()).find("pdex db import"), std::string::npos) << e.what();
  }
}

TEST_P(DexRepositoryTest, ImportOfTheRealDataIsFast) {
  const ImportResult r = import_dex(sql(), real_dex());
  std::cout << "[ timing ] " << backend_name(GetParam()) << " import of " << r.counts.learnset_rows
            << " learnset rows and the rest: " << r.seconds << " s\n";
  EXPECT_LT(r.seconds, 10.0);  // generous: sanitizer builds and a loaded machine; the target is < 2 s
}

PDEX_INSTANTIATE_STORE_TEST(DexRepositoryTest);

}  // namespace
}  // namespace pdex::store
