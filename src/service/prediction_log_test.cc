// The prediction log's queue and writer thread: batching, drain on stop, database down then up, drops.
#include "service/prediction_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "store/api_key_repository.h"
#include "store/database.h"
#include "store/migrations.h"

namespace pdex::service {
namespace {

using namespace std::chrono_literals;

store::PredictionRecord record(int i) {
  store::PredictionRecord r;
  r.id = "pred-" + std::to_string(i);
  r.created_at = store::utc_now_iso8601_ms();
  r.route = "/api/v1/predict/battle";
  r.inputs = R"({"pokemon_1_id":25,"pokemon_2_id":6})";
  r.outputs = R"({"winner":1})";
  r.model_version = "test-1";
  r.latency_us = i;
  return r;
}

// Records what it is given; fails while `failures_left` > 0; can be blocked.
class RecordingWriter : public PredictionLogWriter {
 public:
  void write(std::span<const store::PredictionRecord> batch) override {
    std::unique_lock lock(mutex);
    ++attempts;
    released.wait(lock, [&] { return !blocked; });
    if (failures_left > 0) {
      --failures_left;
      throw std::runtime_error("database is down");
    }
    batch_sizes.push_back(batch.size());
    for (const auto& r : batch) ids.push_back(r.id);
  }
  void release() {
    {
      std::lock_guard lock(mutex);
      blocked = false;
    }
    released.notify_all();
  }
  std::mutex mutex;
  std::condition_variable released;
  bool blocked = false;
  int failures_left = 0;
  int attempts = 0;
  std::vector<std::size_t> batch_sizes;
  std::vector<std::string> ids;
};

PredictionLogOptions fast_options() {
  PredictionLogOptions o;
  o.capacity = 10'000;
  o.max_batch = 100;
  o.flush_interval = 20ms;
  o.initial_backoff = 5ms;
  o.max_backoff = 40ms;
  o.drain_timeout = 5s;
  return o;
}

// Prediction ids: 32 hex digits, unique, led by the creation time in milliseconds so that later ids sort after
// earlier ones (what keeps the writer's inserts at the end of the primary-key index).
TEST(PredictionId, HexUniqueAndLedByTheTime) {
  const auto now_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const long long before = now_ms();
  std::set<std::string> seen;
  std::string previous;
  for (int i = 0; i < 10'000; ++i) {
    const std::string id = generate_prediction_id();
    ASSERT_EQ(id.size(), 32u) << id;
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
    ASSERT_TRUE(seen.insert(id).second) << "duplicate " << id;
    ASSERT_GE(id.substr(0, 12), previous.substr(0, std::min<std::size_t>(12, previous.size()))) << id;
    previous = id;
  }
  const long long after = now_ms();
  const long long stamp = std::stoll(previous.substr(0, 12), nullptr, 16);
  EXPECT_GE(stamp, before);
  EXPECT_LE(stamp, after);
  std::this_thread::sleep_for(2ms);
  EXPECT_LT(previous, generate_prediction_id()) << "an id made later sorts after";
}

TEST(PredictionLog, WritesInBatchesAndDrainsOnStop) {
  auto writer = std::make_unique<RecordingWriter>();
  RecordingWriter& w = *writer;
  PredictionLog log(std::move(writer), fast_options());
  for (int i = 0; i < 1050; ++i) ASSERT_TRUE(log.enqueue(record(i)));
  log.stop();
  EXPECT_EQ(w.ids.size(), 1050u);
  EXPECT_EQ(std::set<std::string>(w.ids.begin(), w.ids.end()).size(), 1050u);
  for (std::size_t n : w.batch_sizes) EXPECT_LE(n, 100u);
  EXPECT_LE(w.batch_sizes.size(), 20u) << "records are batched, not written one by one";
  const auto s = log.stats();
  EXPECT_EQ(s.written, 1050u);
  EXPECT_EQ(s.dropped, 0u);
  EXPECT_EQ(s.queue_depth, 0u);
  EXPECT_EQ(s.lost_at_stop, 0u);
  EXPECT_FALSE(log.enqueue(record(9999))) << "stopped";
}

TEST(PredictionLog, FlushesWithoutWaitingForAFullBatch) {
  auto writer = std::make_unique<RecordingWriter>();
  RecordingWriter& w = *writer;
  PredictionLog log(std::move(writer), fast_options());
  log.enqueue(record(1));
  for (int i = 0; i < 200 && log.stats().written == 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(log.stats().written, 1u);
  std::lock_guard lock(w.mutex);
  EXPECT_EQ(w.ids.size(), 1u);
}

TEST(PredictionLog, RetriesWithBackoffWhileTheDatabaseIsDown) {
  auto writer = std::make_unique<RecordingWriter>();
  RecordingWriter& w = *writer;
  w.failures_left = 5;
  PredictionLog log(std::move(writer), fast_options());
  for (int i = 0; i < 10; ++i) log.enqueue(record(i));
  for (int i = 0; i < 400 && log.stats().write_failures == 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(log.degraded()) << "a failing writer degrades /ready";
  EXPECT_FALSE(log.ready_check()["ok"].get<bool>());
  for (int i = 10; i < 20; ++i) EXPECT_TRUE(log.enqueue(record(i))) << "still buffering while down";
  log.stop();
  const auto s = log.stats();
  EXPECT_EQ(s.written, 20u);
  EXPECT_EQ(s.write_failures, 5u);
  EXPECT_FALSE(s.failing);
  EXPECT_EQ(w.ids.size(), 20u);
  EXPECT_FALSE(log.degraded());
}

TEST(PredictionLog, FullQueueDropsAndCounts) {
  auto writer = std::make_unique<RecordingWriter>();
  RecordingWriter& w = *writer;
  w.blocked = true;
  auto o = fast_options();
  o.capacity = 50;
  o.max_batch = 10;
  PredictionLog log(std::move(writer), o);
  int accepted = 0;
  for (int i = 0; i < 80; ++i) accepted += log.enqueue(record(i)) ? 1 : 0;
  EXPECT_EQ(accepted, 50);
  auto s = log.stats();
  EXPECT_EQ(s.dropped, 30u);
  EXPECT_EQ(s.queue_depth, 50u);
  EXPECT_TRUE(log.degraded());
  w.release();
  log.stop();
  s = log.stats();
  EXPECT_EQ(s.written, 50u) << "every accepted record is written";
  EXPECT_EQ(s.dropped, 30u);
}

TEST(PredictionLog, GivesUpAfterTheDrainTimeoutAndCountsTheLoss) {
  auto writer = std::make_unique<RecordingWriter>();
  writer->failures_left = 1'000'000;
  auto o = fast_options();
  o.drain_timeout = 200ms;
  PredictionLog log(std::move(writer), o);
  for (int i = 0; i < 30; ++i) log.enqueue(record(i));
  const auto t0 = std::chrono::steady_clock::now();
  log.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_EQ(log.stats().lost_at_stop, 30u);
  EXPECT_EQ(log.stats().written, 0u);
}

// ---- with a real database ----

std::filesystem::path temp_dir(const std::string& name) {
  static std::atomic<int> n{0};
  auto d = std::filesystem::temp_directory_path() /
           ("pdex-plog-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

std::int64_t rows(const std::string& url) {
  store::Database db(url);
  return store::PredictionLogRepository(db.session()).count();
}

TEST(PredictionLogDatabase, SqliteDrainOnStopWritesEveryRecord) {
  const auto dir = temp_dir("drain");
  const std::string url = "sqlite://" + (dir / "p.sqlite").string();
  auto o = fast_options();
  o.max_batch = 500;
  const int n = 5000;
  {
    PredictionLog log(std::make_unique<DatabasePredictionLogWriter>(url), o);
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) ASSERT_TRUE(log.enqueue(record(i)));
    const double enqueue_us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / n;
    log.stop();
    const double total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("[figures] %d records: enqueue %.2f us/record, enqueue+drain %.0f ms (%.0f records/s), %llu batches\n",
                n, enqueue_us, total_ms, n / (total_ms / 1000), static_cast<unsigned long long>(log.stats().batches));
  }
  EXPECT_EQ(rows(url), n);
  std::filesystem::remove_all(dir);
}

TEST(PredictionLogDatabase, SqliteUnavailableThenAvailable) {
  // The database's directory cannot be created while a regular file sits at its path: every write fails
  // (Database's constructor throws). Removing the file "brings the database back".
  const auto dir = temp_dir("down");
  const auto blocker = dir / "db";
  std::ofstream(blocker) << "not a directory";
  const std::string url = "sqlite://" + (blocker / "p.sqlite").string();
  PredictionLog log(std::make_unique<DatabasePredictionLogWriter>(url), fast_options());
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(log.enqueue(record(i)));
  for (int i = 0; i < 400 && log.stats().write_failures < 3; ++i) std::this_thread::sleep_for(5ms);
  auto s = log.stats();
  EXPECT_GE(s.write_failures, 3u);
  EXPECT_TRUE(s.failing);
  EXPECT_EQ(s.queue_depth, 100u);
  EXPECT_NE(s.last_error.find("cannot create directory"), std::string::npos) << s.last_error;
  std::filesystem::remove(blocker);
  for (int i = 100; i < 150; ++i) ASSERT_TRUE(log.enqueue(record(i)));
  log.stop();
  s = log.stats();
  EXPECT_EQ(s.written, 150u);
  EXPECT_EQ(s.lost_at_stop, 0u);
  EXPECT_EQ(rows(url), 150);
  std::filesystem::remove_all(dir);
}

TEST(PredictionLogDatabase, SqliteLockedDatabaseIsRetried) {
  // Another connection holds the write lock longer than... the busy timeout would be too slow for a test, so
  // hold it briefly: the writer waits (busy timeout) or fails and retries; either way nothing is lost.
  const auto dir = temp_dir("locked");
  const std::string url = "sqlite://" + (dir / "p.sqlite").string();
  store::Database other(url);
  store::migrate(other.session());
  other.session() << "BEGIN IMMEDIATE";
  PredictionLog log(std::make_unique<DatabasePredictionLogWriter>(url), fast_options());
  for (int i = 0; i < 20; ++i) log.enqueue(record(i));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(log.stats().written, 0u) << "the lock holds the writer back";
  other.session() << "COMMIT";
  log.stop();
  EXPECT_EQ(log.stats().written, 20u);
  EXPECT_EQ(rows(url), 20);
  std::filesystem::remove_all(dir);
}

TEST(PredictionLogDatabase, PostgresqlDrainOnStop) {
  const char* base = std::getenv("PDEX_TEST_PG_URL");
  if (base == nullptr || *base == '\0') GTEST_SKIP() << "PDEX_TEST_PG_URL is not set: run under scripts/with-postgres";
  const std::string schema = "plog_test_" + std::to_string(::getpid());
  store::Database admin(base);
  admin.session() << "CREATE SCHEMA " + schema;
  const std::string url = std::string(base) + (std::string(base).find('?') == std::string::npos ? "?" : "&") +
                          "options=-csearch_path%3D" + schema;
  const int n = 3000;
  {
    PredictionLog log(std::make_unique<DatabasePredictionLogWriter>(url), fast_options());
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) ASSERT_TRUE(log.enqueue(record(i)));
    log.stop();
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("[figures] PostgreSQL: %d records enqueued and drained in %.0f ms\n", n, ms);
  }
  EXPECT_EQ(rows(url), n);
  admin.session() << "DROP SCHEMA " + schema + " CASCADE";
}

TEST(PredictionLogDatabase, PostgresqlUnreachableThenReachable) {
  const char* base = std::getenv("PDEX_TEST_PG_URL");
  if (base == nullptr || *base == '\0') GTEST_SKIP() << "PDEX_TEST_PG_URL is not set: run under scripts/with-postgres";
  // A writer whose URL is switched from a closed port to the real server (what a restarted server looks like
  // to the writer: connection refused, then accepted on reconnect).
  class SwitchingWriter : public PredictionLogWriter {
   public:
    SwitchingWriter(std::string down, std::string up) : down_(std::move(down)), up_(std::move(up)) {}
    void write(std::span<const store::PredictionRecord> batch) override {
      DatabasePredictionLogWriter& w = available.load() ? up_ : down_;
      w.write(batch);
    }
    std::atomic<bool> available{false};

   private:
    DatabasePredictionLogWriter down_, up_;
  };
  const std::string schema = "plog_down_" + std::to_string(::getpid());
  store::Database admin(base);
  admin.session() << "CREATE SCHEMA " + schema;
  const std::string url = std::string(base) + (std::string(base).find('?') == std::string::npos ? "?" : "&") +
                          "options=-csearch_path%3D" + schema;
  auto writer = std::make_unique<SwitchingWriter>("postgresql://pdex:x@127.0.0.1:1/none?connect_timeout=1", url);
  SwitchingWriter& w = *writer;
  PredictionLog log(std::move(writer), fast_options());
  for (int i = 0; i < 40; ++i) log.enqueue(record(i));
  for (int i = 0; i < 400 && log.stats().write_failures < 2; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_GE(log.stats().write_failures, 2u);
  w.available = true;
  log.stop();
  EXPECT_EQ(log.stats().written, 40u);
  EXPECT_EQ(rows(url), 40);
  admin.session() << "DROP SCHEMA " + schema + " CASCADE";
}

}  // namespace
}  // namespace pdex::service
