// The 18×18 type-effectiveness chart.
#pragma once

#include <array>
#include <cstdint>

#include "dex/type.h"

namespace pdex::dex {

class TypeChart {
 public:
  // All entries neutral (×1).
  TypeChart();
  // Multiplier in quarters would not be needed: single-type entries are 0, ½, 1, 2; stored as halves.
  void set(Type attacking, Type defending, double multiplier);  // multiplier in {0, 0.5, 1, 2}
  double multiplier(Type attacking, Type defending) const;
  // Product over the defender's one or two types (0, ¼, ½, 1, 2, 4).
  double multiplier(Type attacking, const Typing& defending) const;
  // Same, as an exact integer in quarters: 0, 1, 2, 4, 8, 16.
  int quarters(Type attacking, const Typing& defending) const;
  bool operator==(const TypeChart&) const = default;

 private:
  std::array<std::array<std::uint8_t, kTypeCount>, kTypeCount> halves_;  // 0, 1, 2, 4
};

}  // namespace pdex::dex
