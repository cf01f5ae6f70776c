#include "dex/type_chart.h"

#include <stdexcept>
#include <string>

namespace pdex::dex {

TypeChart::TypeChart() {
  for (auto& row : halves_) row.fill(2);
}

void TypeChart::set(Type attacking, Type defending, double multiplier) {
  std::uint8_t halves;
  if (multiplier == 0) {
    halves = 0;
  } else if (multiplier == 0.5) {
    halves = 1;
  } else if (multiplier == 1) {
    halves = 2;
  } else if (multiplier == 2) {
    halves = 4;
  } else {
    throw std::invalid_argument("type chart multiplier must be 0, 0.5, 1 or 2, got " + std::to_string(multiplier));
  }
  halves_[static_cast<int>(attacking)][static_cast<int>(defending)] = halves;
}

double TypeChart::multiplier(Type attacking, Type defending) const {
  return halves_[static_cast<int>(attacking)][static_cast<int>(defending)] / 2.0;
}

int TypeChart::quarters(Type attacking, const Typing& defending) const {
  const int a = static_cast<int>(attacking);
  const int first = halves_[a][static_cast<int>(defending.first)];
  if (!defending.dual()) return 2 * first;
  return first * halves_[a][static_cast<int>(defending.second)];
}

double TypeChart::multiplier(Type attacking, const Typing& defending) const {
  return quarters(attacking, defending) / 4.0;
}

}  // namespace pdex::dex
