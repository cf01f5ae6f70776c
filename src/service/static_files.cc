#include "service/static_files.h"

#include <fstream>
#include <iterator>
#include <map>
#include <system_error>
#include <vector>

#include "service/router.h"

namespace pdex::service {
namespace {

namespace fs = std::filesystem;

// Decoded, validated path segments; nullopt for anything refused.
std::optional<std::vector<std::string>> safe_segments(std::string_view raw_path) {
  if (raw_path.empty() || raw_path.front() != '/') return std::nullopt;
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= raw_path.size()) {
    const std::size_t slash = raw_path.find('/', start);
    const std::string_view raw =
        raw_path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!raw.empty()) {
      auto seg = percent_decode(raw, false);
      if (!seg || seg->empty() || seg->front() == '.' || seg->find('/') != std::string::npos ||
          seg->find('\\') != std::string::npos || seg->find('\0') != std::string::npos) {
        return std::nullopt;
      }
      out.push_back(std::move(*seg));
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

// `file` resolved (links followed) lies inside `root` resolved.
bool inside(const fs::path& root, const fs::path& file) {
  std::error_code ec;
  const fs::path r = fs::canonical(root, ec);
  if (ec) return false;
  const fs::path f = fs::canonical(file, ec);
  if (ec) return false;
  auto ri = r.begin(), fi = f.begin();
  for (; ri != r.end(); ++ri, ++fi) {
    if (fi == f.end() || *ri != *fi) return false;
  }
  return true;
}

std::optional<std::string> read_regular_file(const fs::path& root, const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec) || !inside(root, file)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::string content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  std::string ext = file.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {}

std::optional<Response> StaticFiles::serve(std::string_view raw_path) const {
  const auto segments = safe_segments(raw_path);
  if (!segments) return std::nullopt;
  const std::string first = segments->empty() ? "" : segments->front();
  const bool docs_area = first == "docs" || first == "redoc";

  fs::path rel;
  for (const auto& s : *segments) rel /= s;
  if (segments->empty()) {
    rel = "index.html";
  } else if (docs_area && segments->size() == 1) {
    rel = fs::path(first) / "index.html";
  }
  std::optional<std::string> body = read_regular_file(root_, root_ / rel);
  if (!body) {
    // A client-side route of the single-page app: no extension, not under a directory of real files.
    const bool client_route =
        !segments->empty() && segments->back().find('.') == std::string::npos && first != "assets" && !docs_area;
    if (!client_route) return std::nullopt;
    rel = "index.html";
    body = read_regular_file(root_, root_ / rel);
    if (!body) return std::nullopt;
  }

  Response res{http::status::ok, 11};
  res.set(http::field::content_type, content_type_for(rel));
  if (first == "assets" && rel != "index.html") {
    res.set(http::field::cache_control, "public, max-age=31536000, immutable");
  } else if (rel.extension() == ".html") {
    res.set(http::field::cache_control, "no-cache");
  } else {
    res.set(http::field::cache_control, "public, max-age=3600");
  }
  if (docs_area) res.set("Content-Security-Policy", kDocsContentSecurityPolicy);
  res.body() = std::move(*body);
  return res;
}

}  // namespace pdex::service
