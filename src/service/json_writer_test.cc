// JsonWriter against nlohmann's dump: same text for the same members, numbers that read back exactly.
#include "service/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include <nlohmann/json.hpp>

namespace pdex::service {
namespace {

using nlohmann::ordered_json;

std::string dump(const ordered_json& j) {
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string written(double v) {
  JsonWriter w;
  w.value(v);
  return w.take();
}

std::string written(std::string_view s) {
  JsonWriter w;
  w.value(s);
  return w.take();
}

TEST(JsonWriter, NestedContainersAsNlohmannDumpsThem) {
  JsonWriter w;
  w.begin_object()
      .key("winner")
      .value(1)
      .key("name")
      .value("Pikachu")
      .key("p")
      .value(0.87)
      .key("ok")
      .value(true)
      .key("none")
      .null()
      .key("types")
      .begin_array()
      .value("Fire")
      .value("Flying")
      .end_array()
      .key("empty")
      .begin_object()
      .end_object()
      .key("nested")
      .begin_array()
      .begin_object()
      .key("a")
      .value(-3)
      .end_object()
      .begin_array()
      .end_array()
      .raw(R"({"x":[1,2]})")
      .end_array()
      .end_object();
  ordered_json j = ordered_json::object();
  j["winner"] = 1;
  j["name"] = "Pikachu";
  j["p"] = 0.87;
  j["ok"] = true;
  j["none"] = nullptr;
  j["types"] = {"Fire", "Flying"};
  j["empty"] = ordered_json::object();
  j["nested"] =
      ordered_json::array({ordered_json{{"a", -3}}, ordered_json::array(), ordered_json::parse(R"({"x":[1,2]})")});
  EXPECT_EQ(w.text(), dump(j));
}

TEST(JsonWriter, StringsEscapedAsNlohmann) {
  const std::string cases[] = {"",
                               "plain",
                               "quote \" backslash \\ slash /",
                               "\b\f\n\r\t",
                               std::string("nul \0 and \x01 \x1f \x7f", 15),
                               "Nidoran♀ Mélofée — 日本 😀",
                               "bad \xff byte",
                               "truncated \xe2\x82",
                               "overlong \xc0\xaf and \xe0\x80\xaf",
                               "surrogate \xed\xa0\x80",
                               "above max \xf4\x90\x80\x80",
                               "lone continuation \x80 end",
                               "cut \xe2\x82X then \xf0\x9f\x98 end \xf0\x9f",
                               "four-byte \xf0\x9f\x98\x80 \xf5\x80 \xc1\xbf \xed\x9f\xbf"};
  for (const std::string& s : cases) EXPECT_EQ(written(s), dump(ordered_json(s))) << s;
}

// Random byte strings, biased towards UTF-8 lead and continuation bytes: escaping and replacement agree with
// nlohmann's on every one.
TEST(JsonWriter, RandomBytesAsNlohmann) {
  std::mt19937 rng(5);
  const unsigned char interesting[] = {0x00, 0x1f, '"',  '\\', 'a',  0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0,
                                       0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  for (int n = 0; n < 50'000; ++n) {
    std::string s(rng() % 12, ' ');
    for (char& c : s) {
      c = static_cast<char>(rng() % 2 ? interesting[rng() % sizeof interesting] : rng() % 256);
    }
    ASSERT_EQ(written(s), dump(ordered_json(s))) << ::testing::PrintToString(s);
  }
}

TEST(JsonWriter, IntegersAsNlohmann) {
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{25}, std::numeric_limits<std::int64_t>::max(),
                         std::numeric_limits<std::int64_t>::min()}) {
    JsonWriter w;
    w.value(v);
    EXPECT_EQ(w.text(), dump(ordered_json(v)));
  }
}

TEST(JsonWriter, DoublesInNlohmannFormAndExact) {
  for (double v : {0.0,          -0.0,      1.0,     -2.0,    0.5,
                   0.87,         0.13,      1.0 / 3, 2.0 / 3, 0.1 + 0.2,
                   1e-5,         1.5e-5,    9.99e-6, 9.99e-5, 1e-4,
                   1.0000001e-4, 0.0001234, 123.25,  1e14,    1e15,
                   1.5e15,       1e20,      1e300,   5e-324,  1.7976931348623157e308}) {
    EXPECT_EQ(written(v), dump(ordered_json(v))) << v;
  }
  EXPECT_EQ(written(std::nan("")), "null");
  EXPECT_EQ(written(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(written(-std::numeric_limits<double>::infinity()), "null");
  // Probabilities as the model gives them: every one reads back to the same double.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> p(0, 1);
  for (int i = 0; i < 100'000; ++i) {
    const double v = p(rng);
    const std::string text = written(v);
    ASSERT_EQ(ordered_json::parse(text).get<double>(), v) << text;
  }
}

}  // namespace
}  // namespace pdex::service
