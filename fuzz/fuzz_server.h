// The route fuzzers' server: an in-process ApiServer that answers requests through the real middleware chain,
// router and handlers without a socket (library pdex_fuzz_server).
#pragma once

#include "fuzz_support.h"
#include "service/api_server.h"

namespace pdex::fuzz {

// The ApiServer every route fuzzer talks to: the real Dex (data/lgpe-dex.json), no database, no
// authentication (the auth middleware has its own tests; here the handlers are the target), simulate/odds
// capped at n <= 2000 so one input stays well under a second. With `with_model`, a tiny real bundle is
// trained (a few seconds, once) and served. The first call builds the server; later calls return it.
service::ApiServer& api_server(bool with_model);

// Sends one request through api_server().handle. Aborts (a fuzzer finding) when the answer is a 5xx other
// than 503, or is not valid JSON, or lacks the security headers every answer carries.
service::Response handle_or_abort(service::Request& request);

}  // namespace pdex::fuzz
