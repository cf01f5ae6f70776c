// The content-addressed artifact directory of the model registry: a bundle directory is copied to
//   <root>/sha256/<first 2 hex>/<64 hex>/
// where the hash is bundle_digest() of its files. Identical bundles share one copy; a stored artifact is
// never modified (re-storing verifies it), so a registry version's artifact_sha256 always names what is
// on disk.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace pdex::registry {

class ArtifactError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// SHA-256 over the sorted list of "<relative path>\t<sha256 of the file>\n" for every regular file under
// `dir` (so renaming, adding, removing or changing a file changes it). Throws ArtifactError.
std::string bundle_digest(const std::filesystem::path& dir);

struct StoredArtifact {
  std::string sha256;
  std::filesystem::path path;  // absolute
  bool copied = false;         // false: an identical artifact was already stored
};

// Copies `bundle_dir` into the store under `root` (created), through a temporary directory renamed into
// place, so a crash never leaves a partial artifact under its final name. Throws ArtifactError.
StoredArtifact store_bundle(const std::filesystem::path& bundle_dir, const std::filesystem::path& root);

// Verifies that `path` still holds the artifact `sha256`. Throws ArtifactError naming the difference.
void verify_artifact(const std::filesystem::path& path, const std::string& sha256);

}  // namespace pdex::registry
