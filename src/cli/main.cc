// `pdex`: every PredictionDex operation is a subcommand (`pdex <noun> <verb>`).
#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>

#include "cli/command.h"
#include "common/version.h"

int main(int argc, char** argv) {
  using namespace pdex::cli;
  CLI::App app{"PredictionDex: who wins a Pokémon Let's Go 1-vs-1 battle, with which move, and how sure.", "pdex"};
  app.set_version_flag("--version", std::string("pdex ") + pdex::kVersion + " (" + pdex::kGitHash + ")");
  app.require_subcommand(1);
  app.footer(
      "Environment: PDEX_DATA_DIR (default ./var), PDEX_DATABASE_URL (default sqlite://$PDEX_DATA_DIR/pdex.sqlite,\n"
      "or postgresql://user:pass@host:port/db), PDEX_DEX_FILE (default data/lgpe-dex.json).\n"
      "Exit codes: 0 ok, 1 operation failed, 2 bad command line, 3 invalid input data or failed check.\n"
      "Run `pdex <command> --help` for details.");
  add_db_commands(app);
  add_calc_commands(app);
  add_battle_commands(app);
  add_serve_commands(app);
  add_apikey_commands(app);
  add_dataset_commands(app);
  add_model_commands(app);
  add_predict_commands(app);
  add_registry_commands(app);
  add_runs_commands(app);
  add_pipeline_commands(app);
  add_monitor_commands(app);
  spdlog::set_pattern("%v");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "pdex: " << e.what() << "\n(run with --help for usage)\n";
    return kUsage;
  } catch (const CommandError& e) {
    std::cerr << "pdex: " << e.what() << "\n";
    return e.code();
  } catch (const std::exception& e) {
    std::cerr << "pdex: " << e.what() << "\n";
    return kFailure;
  }
  return kOk;
}
