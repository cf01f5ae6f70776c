#include "common/thread_slice.h"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

namespace pdex {
namespace {

// struct sched_attr, first version (SCHED_ATTR_SIZE_VER0, 48 bytes): <linux/sched/types.h> cannot be included
// beside glibc's <sched.h> (both define struct sched_param).
struct SchedAttr {
  std::uint32_t size;
  std::uint32_t sched_policy;
  std::uint64_t sched_flags;
  std::int32_t sched_nice;
  std::uint32_t sched_priority;
  std::uint64_t sched_runtime;
  std::uint64_t sched_deadline;
  std::uint64_t sched_period;
};
static_assert(sizeof(SchedAttr) == 48);

}  // namespace

bool request_short_time_slice(std::chrono::microseconds slice) {
  SchedAttr attr{};
  attr.size = sizeof attr;
  attr.sched_policy = SCHED_OTHER;
  attr.sched_runtime = static_cast<std::uint64_t>(std::chrono::nanoseconds(slice).count());
  // glibc 2.36 has no wrapper; 0 = the calling thread.
  return syscall(SYS_sched_setattr, 0, &attr, 0) == 0;
}

}  // namespace pdex
