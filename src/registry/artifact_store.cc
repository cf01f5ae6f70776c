#include "registry/artifact_store.h"

#include <unistd.h>

#include <algorithm>
#include <vector>

#include "common/sha256.h"

namespace pdex::registry {

namespace fs = std::filesystem;

std::string bundle_digest(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw ArtifactError("artifact " + dir.string() + ": no such directory");
  std::vector<std::string> lines;
  try {
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      const std::string rel = fs::relative(entry.path(), dir).generic_string();
      lines.push_back(rel + "\t" + sha256_file_hex(entry.path()) + "\n");
    }
  } catch (const std::exception& e) {
    throw ArtifactError("artifact " + dir.string() + ": " + e.what());
  }
  if (lines.empty()) throw ArtifactError("artifact " + dir.string() + ": empty directory");
  std::sort(lines.begin(), lines.end());
  std::string manifest;
  for (const auto& l : lines) manifest += l;
  return sha256_hex(manifest);
}

void verify_artifact(const fs::path& path, const std::string& sha256) {
  const std::string actual = bundle_digest(path);
  if (actual != sha256) {
    throw ArtifactError("artifact " + path.string() + ": content sha256 " + actual + ", registry says " + sha256);
  }
}

StoredArtifact store_bundle(const fs::path& bundle_dir, const fs::path& root) {
  StoredArtifact out;
  out.sha256 = bundle_digest(bundle_dir);
  const fs::path final_dir = fs::absolute(root) / "sha256" / out.sha256.substr(0, 2) / out.sha256;
  out.path = final_dir;
  std::error_code ec;
  if (fs::is_directory(final_dir, ec)) {
    verify_artifact(final_dir, out.sha256);
    return out;
  }
  const fs::path tmp = final_dir.parent_path() / (".tmp-" + out.sha256 + "-" + std::to_string(::getpid()));
  try {
    fs::create_directories(final_dir.parent_path());
    fs::remove_all(tmp);
    fs::copy(bundle_dir, tmp, fs::copy_options::recursive);
    if (bundle_digest(tmp) != out.sha256) throw ArtifactError("the bundle changed while it was being copied");
    fs::rename(tmp, final_dir, ec);
    if (ec) {
      // Another process stored the same artifact first.
      fs::remove_all(tmp);
      verify_artifact(final_dir, out.sha256);
      return out;
    }
  } catch (const ArtifactError&) {
    fs::remove_all(tmp, ec);
    throw;
  } catch (const std::exception& e) {
    fs::remove_all(tmp, ec);
    throw ArtifactError("cannot store artifact " + bundle_dir.string() + " in " + root.string() + ": " + e.what());
  }
  out.copied = true;
  return out;
}

}  // namespace pdex::registry
