// docs/openapi.json, embedded at build time (CMake reads the file; editing it re-runs CMake), so the
// server serves the document of the source it was built from whatever its working directory.
#pragma once

#include <string_view>

namespace pdex::service {

std::string_view openapi_document();

}  // namespace pdex::service
