// The registry commands' actions, shared with `pdex pipeline run` (pipeline_commands.cc).
#pragma once

#include <filesystem>
#include <string>

#include "registry/promotion.h"
#include "store/registry_repository.h"

namespace pdex::cli {

// $PDEX_DATA_DIR/artifacts: the content-addressed artifact store.
std::filesystem::path artifacts_dir();

// configs/gates.json as a promotion policy; CommandError naming the file and field.
registry::PromotionPolicy read_promotion_policy(const std::string& path);

struct RegisterCliOptions {
  std::string bundle;
  std::string name = store::kDefaultModelName;
  std::string alias = "none";
  std::string reason;
  bool json_output = false;
};
// Registers (recording a "register" run); returns the version. Throws CommandError.
int register_bundle_cli(const RegisterCliOptions& o, bool print);

struct PromoteCliOptions {
  std::string name = store::kDefaultModelName;
  int version = 0;
  std::string reason;
  std::string gates = "configs/gates.json";
  bool json_output = false;
};
// Promotes when allowed (recording a "promote" run). Refused: CommandError(kFailure, "promotion refused:
// failed <checks>").
bool promote_cli(const PromoteCliOptions& o, bool print);

}  // namespace pdex::cli
