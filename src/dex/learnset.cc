#include "dex/learnset.h"

namespace pdex::dex {

std::string_view learn_method_name(LearnMethod m) {
  switch (m) {
    case LearnMethod::LevelUp:
      return "levelup";
    case LearnMethod::Tm:
      return "tm";
    case LearnMethod::Tutor:
      return "tutor";
    case LearnMethod::Event:
      return "event";
  }
  return "?";
}

std::optional<LearnMethod> parse_learn_method(std::string_view s) {
  for (LearnMethod m : {LearnMethod::LevelUp, LearnMethod::Tm, LearnMethod::Tutor, LearnMethod::Event}) {
    if (learn_method_name(m) == s) return m;
  }
  return std::nullopt;
}

}  // namespace pdex::dex
