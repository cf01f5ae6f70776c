// The Dex views' shapes where two builders write them (dex_views.h): the same bytes for every record.
#include "service/dex_views.h"

#include <gtest/gtest.h>

#include "dex/dex_json.h"

namespace pdex::service {
namespace {

const dex::Dex& real_dex() {
  static const dex::Dex dex(dex::load_dex_json("data/lgpe-dex.json"));
  return dex;
}

TEST(MoveSummaryTest, TextAndTreeAreTheSameForEveryMove) {
  const dex::Dex& dex = real_dex();
  ASSERT_GT(dex.all_moves().size(), 200u);
  bool saw_never_missing = false;
  for (const dex::Move& m : dex.all_moves()) {
    JsonWriter text;
    write_move_summary(text, m);
    EXPECT_EQ(text.text(), move_summary(m).dump()) << m.showdown_id;
    saw_never_missing |= !m.accuracy.has_value();
  }
  EXPECT_TRUE(saw_never_missing) << "no move with accuracy null: the null branch went unchecked";
}

TEST(MoveSummaryTest, TextIsOneValueInsideALargerDocument) {
  const dex::Move& m = real_dex().all_moves().front();
  JsonWriter out;
  out.begin_array();
  write_move_summary(out, m);
  write_move_summary(out, m);
  out.end_array();
  const auto parsed = nlohmann::ordered_json::parse(out.text());
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0], move_summary(m));
  EXPECT_EQ(parsed[1], move_summary(m));
}

}  // namespace
}  // namespace pdex::service
