#include "service/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <vector>

namespace pdex::service {
namespace {

TEST(WorkerPool, RunsEveryJobInOrderOnOneThread) {
  WorkerPool pool(1, 100);
  std::mutex m;
  std::vector<int> seen;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(pool.try_submit([&, i] {
      std::lock_guard lock(m);
      seen.push_back(i);
    }));
  }
  pool.stop();
  ASSERT_EQ(seen.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
}

TEST(WorkerPool, RefusesWhenTheQueueIsFullAndAfterStop) {
  WorkerPool pool(1, 2);
  std::promise<void> started, release;
  auto gate = release.get_future().share();
  ASSERT_TRUE(pool.try_submit([&] {
    started.set_value();
    gate.wait();
  }));
  ASSERT_EQ(started.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  std::atomic<int> ran{0};
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  EXPECT_TRUE(pool.try_submit([&] { ++ran; }));
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_FALSE(pool.try_submit([&] { ++ran; }));
  EXPECT_EQ(pool.rejected(), 1u);
  release.set_value();
  pool.stop();  // runs what was queued
  EXPECT_EQ(ran.load(), 2);
  EXPECT_FALSE(pool.try_submit([&] { ++ran; }));
  EXPECT_EQ(ran.load(), 2);
}

TEST(WorkerPool, SeveralThreadsRunConcurrentlyAndSurviveAThrowingJob) {
  WorkerPool pool(3, 16);
  EXPECT_EQ(pool.threads(), 3);
  ASSERT_TRUE(pool.try_submit([] { throw std::runtime_error("bug"); }));
  // Three jobs that each wait for the others: completes only if they run at the same time.
  std::atomic<int> arrived{0};
  std::promise<void> all;
  auto all_f = all.get_future().share();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(pool.try_submit([&] {
      if (++arrived == 3) all.set_value();
      all_f.wait_for(std::chrono::seconds(10));
    }));
  }
  EXPECT_EQ(all_f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  pool.stop();
  pool.stop();  // idempotent
}

}  // namespace
}  // namespace pdex::service
