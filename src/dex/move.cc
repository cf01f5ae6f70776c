#include "dex/move.h"

#include <algorithm>

namespace pdex::dex {

std::string_view category_name(MoveCategory c) {
  switch (c) {
    case MoveCategory::Physical:
      return "Physical";
    case MoveCategory::Special:
      return "Special";
    case MoveCategory::Status:
      return "Status";
  }
  return "?";
}

std::optional<MoveCategory> parse_category(std::string_view s) {
  for (MoveCategory c : {MoveCategory::Physical, MoveCategory::Special, MoveCategory::Status}) {
    if (category_name(c) == s) return c;
  }
  return std::nullopt;
}

std::string_view status_id(Status s) {
  switch (s) {
    case Status::None:
      return "";
    case Status::Burn:
      return "brn";
    case Status::Freeze:
      return "frz";
    case Status::Paralysis:
      return "par";
    case Status::Poison:
      return "psn";
    case Status::Toxic:
      return "tox";
    case Status::Sleep:
      return "slp";
  }
  return "?";
}

std::optional<Status> parse_status_id(std::string_view s) {
  for (Status st :
       {Status::None, Status::Burn, Status::Freeze, Status::Paralysis, Status::Poison, Status::Toxic, Status::Sleep}) {
    if (status_id(st) == s) return st;
  }
  return std::nullopt;
}

bool Move::has_flag(std::string_view f) const {
  return std::find(flags.begin(), flags.end(), f) != flags.end();
}

}  // namespace pdex::dex
