// The web app's files (web/dist, built by Vite) served from a directory: GET / and every non-API path.
//
// Layout expected under the web root: index.html (the single-page app), assets/ (content-hashed Vite output),
// docs/index.html (Swagger UI, swagger-ui-dist copied beside it), redoc/index.html (ReDoc). Pages inside docs/
// and redoc/ must reference their files with absolute paths (/docs/swagger-ui.css), since /docs is answered
// without a redirect.
//
// Mapping of a request path (GET or HEAD):
//   /                      -> index.html
//   /docs, /docs/          -> docs/index.html;   /redoc, /redoc/ -> redoc/index.html
//   /<file>                -> that file when it exists (regular file, inside the root after resolving links)
//   /<client/route>        -> index.html, when the last segment has no '.' and the path is not under /assets/,
//                             /docs/ or /redoc/ (so /pokedex/25 reloads into the app's router)
//   anything else          -> nullopt: the caller answers 404 problem+json. So do refused paths: undecodable,
//                             NUL or backslash, a '.'/'..' segment or any segment starting with '.' (no traversal,
//                             no dotfiles).
// Headers: Content-Type from the extension; Cache-Control `public, max-age=31536000, immutable` under /assets/
// (hashed names), `no-cache` for HTML (a new deploy is seen at once), `public, max-age=3600` otherwise. Swagger
// UI and ReDoc pages get their own Content-Security-Policy (inline styles, blob: workers, data: images/fonts, all
// else 'self'); SecurityHeadersMiddleware keeps a CSP the handler set.
//
// Files are read on each request (the OS page cache keeps them hot): run on the worker pool. Thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "service/http_types.h"

namespace pdex::service {

class StaticFiles {
 public:
  // `root` need not exist (then every path is nullopt until it does).
  explicit StaticFiles(std::filesystem::path root);

  // The answer for `raw_path` (the percent-encoded request path, no query), or nullopt (see above).
  std::optional<Response> serve(std::string_view raw_path) const;

  const std::filesystem::path& root() const { return root_; }

  static constexpr const char* kDocsContentSecurityPolicy =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
      "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
      "form-action 'self'; frame-ancestors 'none'";

 private:
  std::filesystem::path root_;
};

// "text/html; charset=utf-8" for ".html", "application/octet-stream" for unknown extensions.
std::string content_type_for(const std::filesystem::path& file);

}  // namespace pdex::service
