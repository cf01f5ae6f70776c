// One POST route (PDEX_FUZZ_ROUTE): the fuzzer's bytes are the JSON body, sent through the in-process
// ApiServer (content-type check, UTF-8 and JSON parsing, ObjectReader, read_battle_request, the route's own
// fields, the handler). Finding: a crash, a sanitizer report, a 5xx or a non-JSON answer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_server.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  pdex::fuzz::api_server(std::string_view(PDEX_FUZZ_ROUTE).starts_with("/api/v1/predict/"));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = pdex::service::http;
  pdex::service::Request req{http::verb::post, PDEX_FUZZ_ROUTE, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  req.body().assign(reinterpret_cast<const char*>(data), size);
  req.prepare_payload();
  pdex::fuzz::handle_or_abort(req);
  return 0;
}
