// Request targets: the fuzzer's bytes are a request line's target ("/api/v1/pokemon?limit=5&type=fire"),
// checked by parse_target and percent_decode directly, then sent as a GET through the in-process ApiServer
// (router, path parameters, every GET route's query parameters). A leading byte below 0x20 picks a route
// prefix so the fuzzer reaches parameters without having to discover the paths first.
// Finding: a crash, a sanitizer report, a 5xx or a non-JSON JSON answer.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_server.h"
#include "service/router.h"

namespace {

constexpr std::array<const char*, 10> kPrefixes = {"/api/v1/pokemon?", "/api/v1/pokemon/",
                                                   "/api/v1/moves?",   "/api/v1/moves/",
                                                   "/api/v1/types?",   "/api/v1/types/effectiveness?",
                                                   "/api/v1/model?",   "/ready?",
                                                   "/health?",         "/metrics?"};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  pdex::fuzz::api_server(false);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = pdex::service::http;
  std::string target(reinterpret_cast<const char*>(data), size);
  if (!target.empty() && static_cast<unsigned char>(target[0]) < kPrefixes.size()) {
    target = kPrefixes[static_cast<unsigned char>(target[0])] + target.substr(1);
  }

  std::string error;
  const auto parsed = pdex::service::parse_target(target, &error);
  if (!parsed && error.empty()) {
    std::fprintf(stderr, "parse_target refused '%s' without an error message\n", target.c_str());
    std::abort();
  }
  (void)pdex::service::percent_decode(target, true);

  // Beast refuses to serialise targets with control characters or spaces; such a request line never reaches
  // the handler (the parser answers 400 first), so only what a real request line can carry goes further.
  for (char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return 0;
  }
  if (target.empty()) return 0;
  pdex::service::Request req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  pdex::fuzz::handle_or_abort(req);
  return 0;
}
