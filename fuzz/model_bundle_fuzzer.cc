// The model bundle loader (ml::Predictor::load, what `pdex serve --model` and a reload run): the fuzzer's
// bytes are a bundle directory, bundle.json and model.json separated by the line kSeparator (no separator:
// all of it is bundle.json and model.json is empty). When bundle.json is a JSON object, its model_sha256 is
// set to model.json's real hash, so mutations reach XGBoost's model parser, the flattened evaluator and the
// parity check instead of stopping at the checksum (whose refusal has its own unit test).
// Contract: a Predictor or a BundleError; anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include "common/sha256.h"
#include "fuzz_support.h"
#include "ml/bundle.h"
#include "ml/predictor.h"

namespace {

constexpr std::string_view kSeparator = "\n--- model.json ---\n";

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

// PDEX_FUZZ_WRITE_SEED=FILE: first writes a freshly trained tiny bundle to FILE in the input format (how
// fuzz/corpus/fuzz_model_bundle/tiny.bundle was made).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* seed = std::getenv("PDEX_FUZZ_WRITE_SEED");
  if (seed == nullptr || *seed == '\0') return 0;
  const std::filesystem::path dir = pdex::fuzz::temp_dir("seed");
  pdex::fuzz::write_tiny_bundle(dir);
  write_file(seed, read_file(dir / "bundle.json") + std::string(kSeparator) + read_file(dir / "model.json"));
  std::filesystem::remove_all(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Removed at exit (replay runs in CTest must not leave directories behind).
  static const struct BundleDir {
    std::filesystem::path path = pdex::fuzz::temp_dir("bundle");
    ~BundleDir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  } bundle_dir;
  const std::filesystem::path& dir = bundle_dir.path;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = input.find(kSeparator);
  std::string bundle(input.substr(0, cut));
  const std::string_view model =
      cut == std::string_view::npos ? std::string_view() : input.substr(cut + kSeparator.size());

  auto meta = nlohmann::json::parse(bundle, nullptr, false);
  if (meta.is_object()) {
    meta["model_sha256"] = pdex::sha256_hex(model);
    bundle = meta.dump();
  }
  write_file(dir / "bundle.json", bundle);
  write_file(dir / "model.json", model);
  try {
    const pdex::ml::Predictor predictor = pdex::ml::Predictor::load(dir);
    (void)predictor;
  } catch (const pdex::ml::BundleError&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "Predictor::load threw a non-BundleError: %s\n", e.what());
    std::abort();
  }
  return 0;
}
