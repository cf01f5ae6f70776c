#include "service/dex_source.h"

#include <stdexcept>

#include "dex/dex_json.h"
#include "store/database.h"
#include "store/dex_repository.h"
#include "store/migrations.h"

namespace pdex::service {

LoadedDex load_service_dex(const Settings& settings) {
  LoadedDex out;
  try {
    store::Database db(settings.database_url);
    if (store::schema_version(db.session()) == 0) {
      out.db_reason = "database " + db.location() + " has no schema (run pdex db init / pdex db import)";
    } else if (!store::stored_dex_meta(db.session())) {
      out.db_reason = "database " + db.location() + " holds no game data (run pdex db import)";
    } else {
      out.dex = std::make_shared<const dex::Dex>(store::load_dex(db.session()));
      out.source = "database " + db.location();
      return out;
    }
  } catch (const std::exception& e) {
    out.db_reason = e.what();
  }
  try {
    out.dex = std::make_shared<const dex::Dex>(dex::load_dex_json(settings.dex_file));
    out.source = "file " + settings.dex_file.string();
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot load the Dex: " + *out.db_reason + "; and " + e.what());
  }
  return out;
}

std::optional<std::string> check_database(const std::string& url) {
  try {
    store::Database db(url);
    int one = 0;
    db.session() << "SELECT 1", soci::into(one);
    if (one != 1) return "database " + db.location() + ": SELECT 1 returned " + std::to_string(one);
    return std::nullopt;
  } catch (const std::exception& e) {
    return store::one_line(e.what());
  }
}

}  // namespace pdex::service
