// The data/lgpe-dex.json importer: the fuzzer's bytes are a whole data file. Contract (dex/dex_json.h):
// either a DexData or a DataError; anything else (another exception, a crash, a sanitizer report) is a
// finding. Seeds are small valid documents (fuzz/corpus/fuzz_dex_json/).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "dex/dex.h"
#include "dex/dex_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    pdex::dex::DexData parsed = pdex::dex::parse_dex_json(text, "fuzz.json");
    // What the server does next with an accepted file: build the indexed Dex.
    const pdex::dex::Dex dex(std::move(parsed));
    (void)dex;
  } catch (const pdex::dex::DataError&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parse_dex_json threw a non-DataError: %s\n", e.what());
    std::abort();
  }
  return 0;
}
