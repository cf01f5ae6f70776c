// Names the calling thread for `top -H`, `ps -L`, perf and gdb ("pdex-io", "pdex-worker", "pdex-log-writer",
// ...), so an operator can tell which of the server's threads uses the CPU. Linux keeps at most 15 bytes; a
// longer name is cut. Never fails loudly: a thread without a name works the same.
#pragma once

#include <string_view>

namespace pdex {

void set_thread_name(std::string_view name);

}  // namespace pdex
