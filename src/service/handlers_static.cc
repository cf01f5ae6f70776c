// GET / (the web app), GET /docs (Swagger UI), GET /redoc (ReDoc): files of the web root (static_files.h).
// Other non-API paths reach the same files through ApiServer's fallback.
#include "service/api_server.h"
#include "service/handler_support.h"

namespace pdex::service {

void register_static_routes(Router& router, const StaticFiles& files) {
  for (const char* path : {"/", "/docs", "/redoc"}) {
    router.add(http::verb::get, path, "public", [&files](const Request&, RequestContext& ctx) -> Response {
      if (auto res = files.serve(ctx.path)) return std::move(*res);
      return problem_for(ctx, not_found(ctx.path + " is not available: the web app is not built on this server"));
    });
  }
}

}  // namespace pdex::service
