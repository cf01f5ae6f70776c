#include "dex/dex_canonical.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/sha256.h"
#include "dex/dex_json.h"
#include "dex/test_dex_document.h"

namespace pdex::dex {
namespace {

using nlohmann::json;

std::filesystem::path data_file() {
  const char* dir = std::getenv("PDEX_SOURCE_DIR");
  return std::filesystem::path(dir != nullptr ? dir : ".") / "data" / "lgpe-dex.json";
}

// Removes from `file` every object key that `ours` (at the same place) lacks: the fields the importer
// ignores. Returns how many were removed.
int drop_unmodelled_keys(json& file, const json& ours) {
  int dropped = 0;
  if (file.is_object() && ours.is_object()) {
    for (auto it = file.begin(); it != file.end();) {
      if (!ours.contains(it.key())) {
        it = file.erase(it);
        ++dropped;
      } else {
        dropped += drop_unmodelled_keys(it.value(), ours[it.key()]);
        ++it;
      }
    }
  } else if (file.is_array() && ours.is_array() && file.size() == ours.size()) {
    for (std::size_t i = 0; i < file.size(); ++i) dropped += drop_unmodelled_keys(file[i], ours[i]);
  }
  return dropped;
}

TEST(DexCanonicalTest, RebuildsTheRealFileContent) {
  std::ifstream in(data_file(), std::ios::binary);
  ASSERT_TRUE(in) << data_file();
  std::stringstream text;
  text << in.rdbuf();
  const json doc = json::parse(text.str());
  const DexData data = parse_dex_json(text.str(), data_file().string());

  const json ours = dex_content_json(data);
  json file = doc["content"];
  const int unmodelled = drop_unmodelled_keys(file, ours);
  EXPECT_EQ(ours, file);  // every modelled field, every record, in file order
  EXPECT_EQ(content_sha256_of(data), sha256_hex(file.dump()));
  if (unmodelled == 0) {
    EXPECT_EQ(content_sha256_of(data), data.content_sha256);
  } else {
    std::cout << "[ note ] the data file has " << unmodelled
              << " values in fields DexData does not model; its content hash covers them, ours cannot\n";
  }
}

TEST(DexCanonicalTest, ReproducesTheHashOfAFullyModelledDocument) {
  const std::string text = testing::with_hash(testing::minimal_document());
  const DexData data = parse_dex_json(text, "small.json");
  const json content = json::parse(text)["content"];
  EXPECT_EQ(dex_content_json(data), content) << json::diff(content, dex_content_json(data)).dump();
  EXPECT_EQ(content_sha256_of(data), data.content_sha256);
  DexData changed = data;
  changed.moves[0].power += 1;
  EXPECT_NE(content_sha256_of(changed), data.content_sha256);
}

TEST(DexCanonicalTest, UnknownLearnsetReferenceIsAnError) {
  DexData data = parse_dex_json(testing::with_hash(testing::minimal_document()), "small.json");
  data.learnsets[0].move_id = 4242;
  EXPECT_THROW(dex_content_json(data), std::invalid_argument);
}

}  // namespace
}  // namespace pdex::dex
