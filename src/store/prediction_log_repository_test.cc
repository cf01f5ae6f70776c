#include "store/prediction_log_repository.h"

#include <gtest/gtest.h>

#include <charconv>
#include <random>

#include "common/sha256.h"
#include "store/migrations.h"
#include "store/store_test_support.h"

namespace pdex::store {
namespace {

using testing::StoreTest;

PredictionRecord record(const std::string& id) {
  PredictionRecord r;
  r.id = id;
  r.created_at = "2024-05-01T12:00:00.000Z";
  r.key_id = "0123456789ab";
  r.route = "/api/v1/predict/battle";
  r.inputs = R"({"pokemon_1_id":25,"pokemon_2_id":6})";
  r.outputs = R"({"winner":2})";
  r.model_version = "battle-winner/1";
  r.latency_us = 42;
  return r;
}

TEST(FeatureDigest, IsSha256OfLittleEndianFloats) {
  const std::vector<float> x{1.0f, -2.5f};
  // 1.0f = 0x3f800000, -2.5f = 0xc0200000, little-endian.
  const std::string bytes{"\x00\x00\x80\x3f\x00\x00\x20\xc0", 8};
  EXPECT_EQ(feature_digest(x), sha256_hex(bytes));
  EXPECT_EQ(features_json(x), "[1,-2.5]");
  EXPECT_EQ(features_json({}), "[]");
}

// features_json prints whole numbers through an integer fast path: the text must stay the shortest form's.
TEST(FeaturesJson, SameTextAsTheShortestFloatForm) {
  auto shortest = [](float f) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, f);
    return "[" + std::string(buf, r.ptr) + "]";
  };
  std::vector<float> probes{-0.0f, 0.0f, 9999.0f, -9999.0f, 10000.0f, 123456.0f, 1e7f, 0.5f, -82.421394f, 1e-7f};
  for (int i = -20000; i <= 20000; ++i) probes.push_back(static_cast<float>(i));
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> d(-1e5f, 1e5f);
  for (int i = 0; i < 20000; ++i) probes.push_back(d(rng));
  for (float f : probes) {
    const float one[] = {f};
    ASSERT_EQ(features_json(one), shortest(f)) << f;
  }
  EXPECT_EQ(features_json(std::vector<float>{-0.0f}), "[-0]");
}

class PredictionLogRepositoryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    migrate(sql());
  }
};

TEST_P(PredictionLogRepositoryTest, BatchInsertRoundTrips) {
  PredictionLogRepository repo(sql());
  std::vector<PredictionRecord> batch;
  for (int i = 0; i < 50; ++i) batch.push_back(record("p" + std::to_string(i)));
  batch[1].key_id.reset();
  const std::vector<float> x{0.25f, 3.0f};
  batch[2].features = features_json(x);
  batch[2].feature_digest = feature_digest(x);
  batch[3].latency_us = 5'000'000'000LL;  // beyond 32 bits
  repo.insert_batch(batch);
  EXPECT_EQ(repo.count(), 50);
  auto r = repo.find("p0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->key_id.value_or(""), "0123456789ab");
  EXPECT_EQ(r->inputs, batch[0].inputs);
  EXPECT_EQ(r->outputs, batch[0].outputs);
  EXPECT_EQ(r->model_version, "battle-winner/1");
  EXPECT_EQ(r->latency_us, 42);
  EXPECT_FALSE(r->features);
  EXPECT_FALSE(repo.find("p1")->key_id);
  EXPECT_EQ(repo.find("p2")->features.value_or(""), "[0.25,3]");
  EXPECT_EQ(repo.find("p2")->feature_digest.value_or(""), feature_digest(x));
  EXPECT_EQ(repo.find("p3")->latency_us, 5'000'000'000LL);
  EXPECT_FALSE(repo.find("nope"));
}

TEST_P(PredictionLogRepositoryTest, RetriedBatchDoesNotDuplicate) {
  PredictionLogRepository repo(sql());
  std::vector<PredictionRecord> batch{record("a"), record("b")};
  repo.insert_batch(batch);
  batch.push_back(record("c"));
  repo.insert_batch(batch);
  EXPECT_EQ(repo.count(), 3);
}

TEST_P(PredictionLogRepositoryTest, FailingBatchWritesNothing) {
  PredictionLogRepository repo(sql());
  std::vector<PredictionRecord> batch{record("ok1"), record("ok2")};
  batch[1].latency_us = -1;  // violates the CHECK: the whole batch is rolled back
  EXPECT_THROW(repo.insert_batch(batch), DatabaseError);
  EXPECT_EQ(repo.count(), 0);
}

PDEX_INSTANTIATE_STORE_TEST(PredictionLogRepositoryTest);

}  // namespace
}  // namespace pdex::store
