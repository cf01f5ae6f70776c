// A fixed set of threads running jobs from a bounded FIFO queue: where the server runs handlers that may take
// longer than a few tens of microseconds (predictions, simulation, database reads), so the Beast I/O threads
// keep accepting, reading and writing while they run.
//
// Contract:
// - try_submit never blocks: it queues the job and returns true, or returns false when `queue_capacity` jobs
//   are already waiting (the caller answers 503 + Retry-After) or the pool is stopping.
// - Jobs run in submission order per pool (FIFO), each on one of the pool's threads. A job must not throw
//   (an escaping exception is swallowed so the thread survives; callers catch their own).
// - stop() stops accepting, runs every job already queued, then joins the threads. Idempotent; the destructor
//   calls it. Jobs may call try_submit (it fails once stopping).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace pdex::service {

class WorkerPool {
 public:
  using Job = std::function<void()>;

  // threads == 0: std::thread::hardware_concurrency() (at least 1). queue_capacity >= 1.
  WorkerPool(int threads, std::size_t queue_capacity);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  bool try_submit(Job job);
  void stop();

  // Jobs waiting (not yet started); for the pdex_http_worker_queue_depth gauge.
  std::size_t queued() const;
  // Jobs refused because the queue was full, since start.
  std::size_t rejected() const;
  int threads() const { return static_cast<int>(threads_.size()); }
  std::size_t capacity() const { return capacity_; }

 private:
  void run();

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::size_t rejected_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace pdex::service
