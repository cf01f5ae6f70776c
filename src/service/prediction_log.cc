#include "service/prediction_log.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "common/thread_name.h"
#include "store/api_key_repository.h"
#include "store/migrations.h"

namespace pdex::service {

void DatabasePredictionLogWriter::write(std::span<const store::PredictionRecord> batch) {
  try {
    if (!db_) {
      auto db = std::make_unique<store::Database>(url_);
      store::migrate(db->session());
      db_ = std::move(db);
    }
    store::PredictionLogRepository(db_->session()).insert_batch(batch);
  } catch (...) {
    db_.reset();
    throw;
  }
}

PredictionLog::PredictionLog(std::unique_ptr<PredictionLogWriter> writer, PredictionLogOptions options)
    : writer_(std::move(writer)), options_(options) {
  options_.max_batch = std::max<std::size_t>(1, options_.max_batch);
  stats_.capacity = options_.capacity;
  thread_ = std::thread([this] {
    set_thread_name("pdex-log-writer");
    run();
  });
}

PredictionLog::~PredictionLog() {
  stop();
}

store::PredictionRecord to_record(PendingPrediction pending) {
  store::PredictionRecord r = std::move(pending.record);
  if (pending.inputs) r.inputs = pending.inputs->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (!pending.features.empty()) {
    r.features = store::features_json(pending.features);
    r.feature_digest = store::feature_digest(pending.features);
  }
  return r;
}

bool PredictionLog::enqueue(PendingPrediction pending) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() + in_flight_ >= options_.capacity) {
      ++stats_.dropped;
      stats_.last_drop = std::chrono::steady_clock::now();
      return false;
    }
    queue_.push_back(std::move(pending));
    if (queue_.size() < options_.max_batch) return true;
  }
  wake_.notify_one();
  return true;
}

void PredictionLog::stop() {
  std::lock_guard stop_lock(stop_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      drain_deadline_ = std::chrono::steady_clock::now() + options_.drain_timeout;
    }
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PredictionLog::run() {
  std::unique_lock lock(mutex_);
  std::vector<PendingPrediction> pending;
  std::vector<store::PredictionRecord> batch;
  for (;;) {
    wake_.wait_for(lock, options_.flush_interval, [&] { return stopping_ || queue_.size() >= options_.max_batch; });
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    const std::size_t n = std::min(options_.max_batch, queue_.size());
    pending.clear();
    pending.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      pending.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    in_flight_ = n;
    lock.unlock();
    batch.clear();
    batch.reserve(n);
    for (PendingPrediction& p : pending) batch.push_back(to_record(std::move(p)));
    lock.lock();

    auto backoff = options_.initial_backoff;
    for (;;) {
      lock.unlock();
      std::string error;
      try {
        writer_->write(batch);
      } catch (const std::exception& e) {
        error = e.what();
        if (error.empty()) error = "write failed";
      }
      lock.lock();
      if (error.empty()) {
        stats_.written += n;
        ++stats_.batches;
        stats_.failing = false;
        in_flight_ = 0;
        break;
      }
      ++stats_.write_failures;
      stats_.failing = true;
      stats_.last_error = error;
      if (stopping_ && std::chrono::steady_clock::now() >= drain_deadline_) {
        // The database stayed down for the whole drain: give up on what is left and say so.
        stats_.lost_at_stop += n + queue_.size();
        queue_.clear();
        in_flight_ = 0;
        return;
      }
      // Sleep without holding the lock (enqueue must not wait), waking early only to notice the deadline.
      auto wait = backoff;
      if (stopping_) {
        wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(drain_deadline_ -
                                                                                    std::chrono::steady_clock::now()) +
                                  std::chrono::milliseconds(1));
      }
      wake_.wait_for(lock, wait, [] { return false; });
      backoff = std::min(options_.max_backoff, backoff * 2);
    }
  }
}

PredictionLogStats PredictionLog::stats() const {
  std::lock_guard lock(mutex_);
  PredictionLogStats s = stats_;
  s.queue_depth = queue_.size() + in_flight_;
  return s;
}

bool PredictionLog::degraded() const {
  const PredictionLogStats s = stats();
  const bool recent_drop = s.dropped > 0 && std::chrono::steady_clock::now() - s.last_drop < std::chrono::seconds(60);
  return s.failing || recent_drop || s.queue_depth * 10 >= s.capacity * 9;
}

nlohmann::ordered_json PredictionLog::ready_check() const {
  const PredictionLogStats s = stats();
  nlohmann::ordered_json j = {{"ok", !degraded()},
                              {"queue_depth", s.queue_depth},
                              {"capacity", s.capacity},
                              {"written", s.written},
                              {"dropped", s.dropped}};
  if (s.failing) j["last_error"] = s.last_error;
  return j;
}

void register_prediction_log_metrics(MetricsRegistry& registry, const std::shared_ptr<PredictionLog>& log) {
  std::weak_ptr<PredictionLog> weak = log;
  auto sample = [weak](auto field) {
    return [weak, field] {
      std::vector<CallbackGaugeFamily::Sample> out;
      if (auto l = weak.lock()) out.push_back({{}, static_cast<double>(field(l->stats()))});
      return out;
    };
  };
  registry.gauge_callback("pdex_prediction_log_queue_depth", "Prediction log records waiting to be written.", {},
                          sample([](const PredictionLogStats& s) { return s.queue_depth; }));
  registry.counter_callback("pdex_prediction_log_written_total", "Prediction log records written to the database.", {},
                            sample([](const PredictionLogStats& s) { return s.written; }));
  registry.counter_callback("pdex_prediction_log_dropped_total",
                            "Prediction log records dropped because the queue was full.", {},
                            sample([](const PredictionLogStats& s) { return s.dropped; }));
  registry.counter_callback("pdex_prediction_log_write_failures_total",
                            "Failed prediction log batch writes (each is retried).", {},
                            sample([](const PredictionLogStats& s) { return s.write_failures; }));
}

std::string generate_prediction_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  char buf[33];
  std::snprintf(buf, sizeof buf, "%012llx%04llx%016llx", static_cast<unsigned long long>(ms) & 0xffffffffffffULL,
                static_cast<unsigned long long>(rng() & 0xffff), static_cast<unsigned long long>(rng()));
  return buf;
}

PendingPrediction make_prediction_record(const RequestContext& ctx, std::string prediction_id, nlohmann::json inputs,
                                         std::string outputs, std::string model_version, std::vector<float> features) {
  PendingPrediction p;
  store::PredictionRecord& r = p.record;
  r.id = std::move(prediction_id);
  r.created_at = store::utc_now_iso8601_ms();
  if (ctx.principal.authenticated) r.key_id = ctx.principal.key_id;
  r.route = ctx.route_template;
  r.outputs = std::move(outputs);
  r.model_version = std::move(model_version);
  r.latency_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - ctx.start).count();
  if (r.latency_us < 0) r.latency_us = 0;
  p.inputs = std::move(inputs);
  p.features = std::move(features);
  return p;
}

}  // namespace pdex::service
