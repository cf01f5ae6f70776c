// How `pdex` subcommand groups plug into the command line. Each group lives in its own file and adds
// its subcommands to the app; actions signal failure by throwing CommandError with an exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>

namespace pdex::cli {

// Exit codes (documented in the README and `pdex --help`).
enum ExitCode : int {
  kOk = 0,
  kFailure = 1,      // the operation failed (I/O, database unreachable, ...)
  kUsage = 2,        // bad command line (unknown option, missing or malformed argument)
  kInvalidData = 3,  // an input file or value is invalid, or a check found a problem
};

class CommandError : public std::runtime_error {
 public:
  CommandError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

void add_db_commands(CLI::App& app);
void add_calc_commands(CLI::App& app);
void add_battle_commands(CLI::App& app);
void add_serve_commands(CLI::App& app);
void add_apikey_commands(CLI::App& app);   // apikey_commands.cc
void add_dataset_commands(CLI::App& app);  // dataset_commands.cc
void add_model_commands(CLI::App& app);    // model_commands.cc
void add_predict_commands(CLI::App& app);  // predict_commands.cc
// Registry and run tracking (owner: registry); add_registry_commands extends "model", so it runs after
// add_model_commands.
void add_registry_commands(CLI::App& app);  // registry_commands.cc
void add_runs_commands(CLI::App& app);      // runs_commands.cc
void add_pipeline_commands(CLI::App& app);  // pipeline_commands.cc
void add_monitor_commands(CLI::App& app);   // monitor_commands.cc (owner: monitor)

}  // namespace pdex::cli
