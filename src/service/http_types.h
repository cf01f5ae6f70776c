// The HTTP message types every part of the service speaks: Boost.Beast requests and responses with
// string bodies (bodies are small and bounded: see ServerOptions::max_body_bytes).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

namespace pdex::service {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

}  // namespace pdex::service
