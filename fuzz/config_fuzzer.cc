// The PDEX_* environment (common/settings.h, service/security_options.h): the fuzzer's bytes are lines
// "NAME=VALUE" (NAME gets a PDEX_ prefix when it lacks one), set as the only PDEX_* variables before
// Settings::from_environment and SecurityOptions::from_environment run. Contract: a value or
// std::invalid_argument naming the variable; the printed settings never show a database password.
// Anything else is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/settings.h"
#include "service/security_options.h"

extern char** environ;

namespace {

void clear_pdex_environment() {
  std::vector<std::string> names;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    if (entry.rfind("PDEX_", 0) == 0) names.push_back(entry.substr(0, entry.find('=')));
  }
  for (const auto& n : names) ::unsetenv(n.c_str());
}

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "config fuzz: %s\n", what.c_str());
  std::abort();
}

// The password of "scheme://user:password@host...", when there is a non-trivial one.
std::string url_password(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const auto at = url.find('@', scheme + 3);
  if (at == std::string::npos) return "";
  const std::string userinfo = url.substr(scheme + 3, at - scheme - 3);
  const auto colon = userinfo.find(':');
  if (colon == std::string::npos || userinfo.find('/') != std::string::npos) return "";
  const std::string pw = userinfo.substr(colon + 1);
  return pw.size() >= 6 && pw.find_first_not_of('*') != std::string::npos ? pw : "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  clear_pdex_environment();
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::size_t pos = 0;
  while (pos <= input.size()) {
    std::size_t end = input.find('\n', pos);
    if (end == std::string::npos) end = input.size();
    const std::string line = input.substr(pos, end - pos);
    pos = end + 1;
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0 || line.find('\0') != std::string::npos) continue;
    std::string name = line.substr(0, eq);
    if (name.rfind("PDEX_", 0) != 0) name = "PDEX_" + name;
    ::setenv(name.c_str(), line.c_str() + eq + 1, 1);
  }

  try {
    const pdex::Settings s = pdex::Settings::from_environment();
    const auto shown = s.describe();
    const std::string pw = url_password(s.database_url);
    if (!pw.empty()) {
      // Everything between the user name's ':' and the URL's last '@' must be masked. Checked by position, not
      // by searching for the password's text: the user name, other variables, and the host, path and query
      // after the last '@' may hold the same text (the fuzzer copies it around), which is their value.
      const auto url = shown.find("PDEX_DATABASE_URL");
      if (url != shown.end()) {
        const std::string& v = url->second;
        const auto scheme = v.find("://");
        const auto at = v.rfind('@');
        const auto colon = scheme == std::string::npos ? std::string::npos : v.find(':', scheme + 3);
        if (at == std::string::npos || colon == std::string::npos || colon > at ||
            v.substr(colon + 1, at - colon - 1) != "***") {
          finding("Settings::describe shows the database password: " + v);
        }
      }
    }
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).rfind("PDEX_", 0) != 0) finding(std::string("error names no variable: ") + e.what());
  } catch (const std::exception& e) {
    finding(std::string("Settings::from_environment threw a non-invalid_argument: ") + e.what());
  }
  try {
    const auto o = pdex::service::SecurityOptions::from_environment();
    (void)o.describe();
  } catch (const std::invalid_argument& e) {
    if (std::string(e.what()).rfind("PDEX_", 0) != 0) finding(std::string("error names no variable: ") + e.what());
  } catch (const std::exception& e) {
    finding(std::string("SecurityOptions::from_environment threw a non-invalid_argument: ") + e.what());
  }
  return 0;
}
