// Latency-sensitive threads (the server's I/O and worker threads) ask the kernel for a short time slice.
//
// Why: on one shared core, a request thread woken by a new request used to wait for the prediction log's writer
// (CPU-bound for a few milliseconds per batch) to finish its slice: Linux's EEVDF scheduler lets the running
// task keep the CPU until its slice ends, checked at the timer tick (4 ms at HZ=250), which was the whole p99
// at low load. Since Linux 6.12 a thread may request a shorter slice (sched_attr.sched_runtime for
// SCHED_OTHER), and a woken thread with a shorter slice preempts the running one at once. The thread keeps its
// priority and fair share; only when it runs changes.
#pragma once

#include <chrono>

namespace pdex {

// What the server's I/O and worker threads ask for (the kernel's floor; its default is 0.7-3 ms by core count).
inline constexpr std::chrono::microseconds kRequestThreadSlice{100};

// For the calling thread. False where the kernel does not support it (before 6.12: nothing changes), which
// callers may ignore.
bool request_short_time_slice(std::chrono::microseconds slice);

}  // namespace pdex
