// The server's log sink: JSON lines to standard output, written in blocks rather than one write(2) per line.
//
// Why not spdlog's stdout_sink: in spdlog 1.10 (Debian 12) it calls fflush after every message whatever the
// logger's flush policy, so each logged request cost a write(2) on the thread that answered it (strace under
// predict load: one write per request, beside the one sendmsg of the answer). This sink leaves stdout's own
// buffering in place (line-buffered on a terminal, block-buffered into a pipe or file) and flushes only when
// the logger asks: flush_on(level), spdlog::flush_every, and the explicit flushes of the life-cycle lines and
// of the end of serving, so a graceful stop still loses no line.
#pragma once

#include <cstdio>
#include <mutex>

#include <spdlog/sinks/base_sink.h>

namespace pdex::cli {

class BufferedStdoutSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

}  // namespace pdex::cli
