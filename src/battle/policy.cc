#include "battle/policy.h"

namespace pdex::battle {

int greedy_pick(const double scores[], const bool usable[], const bool status_move[], int n) {
  int best = -1;
  for (int i = 0; i < n; ++i) {
    if (!usable[i]) continue;
    if (scores[i] > 0 && (best < 0 || scores[i] > scores[best])) best = i;
  }
  if (best >= 0) return best;
  for (int i = 0; i < n; ++i) {
    if (usable[i] && status_move[i]) return i;
  }
  for (int i = 0; i < n; ++i) {
    if (usable[i]) return i;
  }
  return 0;
}

}  // namespace pdex::battle
