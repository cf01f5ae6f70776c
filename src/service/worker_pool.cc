#include "service/worker_pool.h"

#include <algorithm>

#include "common/thread_name.h"
#include "common/thread_slice.h"

namespace pdex::service {

WorkerPool::WorkerPool(int threads, std::size_t queue_capacity) : capacity_(std::max<std::size_t>(1, queue_capacity)) {
  const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads_.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    threads_.emplace_back([this] {
      set_thread_name("pdex-worker");
      request_short_time_slice(kRequestThreadSlice);  // see common/thread_slice.h
      run();
    });
}

WorkerPool::~WorkerPool() {
  stop();
}

bool WorkerPool::try_submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    if (queue_.size() >= capacity_) {
      ++rejected_;
      return false;
    }
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  }
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::size_t WorkerPool::rejected() const {
  std::lock_guard lock(mutex_);
  return rejected_;
}

void WorkerPool::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      job();
    } catch (...) {
      // Contract: jobs do not throw. Keep the thread alive if one does.
    }
  }
}

}  // namespace pdex::service
