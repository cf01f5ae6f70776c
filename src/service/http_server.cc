#include "service/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/thread_name.h"
#include "common/thread_slice.h"

namespace pdex::service {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

class Session;

struct HttpServer::State {
  State(ServerOptions o, HttpHandler& h) : options(std::move(o)), handler(h), acceptor(net::make_strand(ioc)) {}

  // Declared first so they outlive `ioc`: destroying the io_context destroys pending handlers, and with
  // them the sessions, which unregister themselves here.
  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  ServerOptions options;
  HttpHandler& handler;
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::optional<net::signal_set> signals;
  std::optional<net::steady_timer> drain_timer;
  std::chrono::steady_clock::time_point drain_deadline;
  unsigned short bound_port = 0;
  std::atomic<bool> stopping{false};

  void add_session(Session* s, std::weak_ptr<Session> w) {
    std::lock_guard lock(sessions_mutex);
    sessions.emplace(s, std::move(w));
  }
  void remove_session(Session* s) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(s);
  }
  std::size_t session_count() {
    std::lock_guard lock(sessions_mutex);
    return sessions.size();
  }
};

namespace {

// Calls the handler; an exception escaping it (a bug) becomes a bare 500 rather than a dead I/O thread.
Response internal_error() {
  Response r{http::status::internal_server_error, 11};
  r.set(http::field::content_type, "application/problem+json");
  r.body() = R"({"type":"about:blank","title":"Internal Server Error","status":500})";
  return r;
}

template <typename F>
Response guarded(F&& f) {
  try {
    return f();
  } catch (...) {
    return internal_error();
  }
}

// Answers a connection refused for capacity with 503, then closes it.
class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  Refusal(tcp::socket socket, HttpServer::State& state) : stream_(std::move(socket)), state_(state) {}
  void start(PeerInfo peer) {
    Request empty;
    response_ = guarded([&] { return state_.handler.reject(503, "too many open connections", empty, peer); });
    response_.keep_alive(false);
    response_.prepare_payload();
    stream_.expires_after(std::chrono::seconds(5));
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, std::size_t) {
      beast::error_code ec;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    });
  }

 private:
  beast::tcp_stream stream_;
  HttpServer::State& state_;
  Response response_;
};

}  // namespace

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::State* state) : stream_(std::move(socket)), state_(state) {
    beast::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_.address = ep.address().to_string();
  }
  ~Session() { state_->remove_session(this); }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
  }

  // Called on the session's strand when the server begins stopping.
  void on_server_stop() {
    if (!busy_) close();
  }

  const beast::tcp_stream::executor_type executor() { return stream_.get_executor(); }

 private:
  const ServerOptions& opt() const { return state_->options; }

  void wait_for_request() {
    if (state_->stopping.load()) return close();
    if (buffer_.size() > 0) return read_header();  // a pipelined request is already buffered
    stream_.expires_after(opt().idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->close();
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(opt().max_header_bytes, UINT32_MAX)));
    parser_->body_limit(opt().max_body_bytes);
    stream_.expires_after(opt().header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  // Returns true when the error was answered or the connection closed.
  bool handle_read_error(beast::error_code ec) {
    if (!ec) return false;
    if (ec == http::error::body_limit) {
      reject(413, "request body exceeds " + std::to_string(opt().max_body_bytes) + " bytes");
    } else if (ec == http::error::header_limit) {
      reject(431, "request headers exceed " + std::to_string(opt().max_header_bytes) + " bytes");
    } else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message && ec != http::error::need_more) {
      reject(400, std::string("malformed HTTP request: ") + ec.message());
    } else {
      close();  // timeout, reset, end of stream: nobody to answer
    }
    return true;
  }

  void on_header(beast::error_code ec) {
    if (handle_read_error(ec)) return;
    busy_ = true;
    const auto& req = parser_->get();
    const auto expect = req[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      continue_ = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      http::async_write(stream_, *continue_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) return on_body({});
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (handle_read_error(ec)) return;
    stream_.expires_never();
    Request request = parser_->release();
    parser_.reset();
    const bool keep_alive = request.keep_alive();
    head_ = request.method() == http::verb::head;
    // The answer may come from another thread (a worker): resume on this connection's strand. The session stays
    // busy (and alive: the callback holds it) until then, so a graceful stop waits for it.
    auto answered = std::make_shared<std::atomic<bool>>(false);
    auto respond = [self = shared_from_this(), keep_alive, answered](Response res) {
      if (answered->exchange(true)) return;
      net::dispatch(self->stream_.get_executor(), [self, keep_alive, res = std::move(res)]() mutable {
        self->response_ = std::move(res);
        self->send(keep_alive && !self->state_->stopping.load(), /*linger=*/false);
      });
    };
    try {
      state_->handler.handle_async(std::move(request), peer_, respond);
    } catch (...) {
      respond(internal_error());
    }
  }

  void reject(int status, const std::string& detail) {
    busy_ = true;
    static const Request kEmpty;
    const Request& partial = parser_ ? parser_->get() : kEmpty;
    response_ = guarded([&] { return state_->handler.reject(status, detail, partial, peer_); });
    parser_.reset();
    send(false, /*linger=*/true);
  }

  void send(bool keep_alive, bool linger) {
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    if (head_) response_.body().clear();  // HEAD: the headers (Content-Length included) of the answer, no body
    head_ = false;
    stream_.expires_after(opt().header_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive, linger](beast::error_code ec, std::size_t) {
                        self->busy_ = false;
                        if (ec) return self->close();
                        self->response_ = {};
                        if (linger) return self->linger();
                        if (!keep_alive) return self->close();
                        self->wait_for_request();
                      });
  }

  // After answering a request we did not read in full: stop sending, then read and discard what the client
  // still sends (up to a bound), so closing does not reset the connection before the client read our answer.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(std::chrono::seconds(2));
    drain_next();
  }
  void drain_next() {
    stream_.async_read_some(net::buffer(discard_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->discarded_ += n;
      if (ec || self->discarded_ > (std::size_t{4} << 20)) return self->close();
      self->drain_next();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  HttpServer::State* state_;
  PeerInfo peer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::empty_body>> continue_;
  Response response_;
  bool head_ = false;  // the request being answered is HEAD
  bool busy_ = false;  // a request is being read past its headers, handled or answered
  std::array<char, 16384> discard_{};
  std::size_t discarded_ = 0;
};

namespace {

void do_accept(HttpServer::State* state) {
  state->acceptor.async_accept(net::make_strand(state->ioc), [state](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !state->acceptor.is_open()) return;
    if (!ec) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (state->session_count() >= state->options.max_connections) {
        PeerInfo peer;
        const auto ep = socket.remote_endpoint(ignored);
        if (!ignored) peer.address = ep.address().to_string();
        std::make_shared<Refusal>(std::move(socket), *state)->start(peer);
      } else {
        auto session = std::make_shared<Session>(std::move(socket), state);
        state->add_session(session.get(), session);
        session->start();
      }
    }
    // Accept errors (EMFILE, ECONNABORTED) are transient: keep accepting.
    do_accept(state);
  });
}

void poll_drain(HttpServer::State* state) {
  if (state->session_count() == 0 || std::chrono::steady_clock::now() >= state->drain_deadline) {
    state->ioc.stop();  // abandons whatever is left (nothing, unless the deadline passed)
    return;
  }
  state->drain_timer->expires_after(std::chrono::milliseconds(20));
  state->drain_timer->async_wait([state](beast::error_code ec) {
    if (!ec) poll_drain(state);
  });
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, HttpHandler& handler)
    : state_(std::make_unique<State>(std::move(options), handler)) {}

HttpServer::~HttpServer() = default;

void HttpServer::listen() {
  const ServerOptions& o = state_->options;
  beast::error_code ec;
  const auto address = net::ip::make_address(o.host, ec);
  if (ec) throw std::runtime_error("cannot listen on " + o.host + ": not an IP address (" + ec.message() + ")");
  const tcp::endpoint endpoint(address, o.port);
  const std::string where = o.host + ":" + std::to_string(o.port);
  auto& acc = state_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(net::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  state_->bound_port = acc.local_endpoint().port();
}

unsigned short HttpServer::port() const {
  return state_->bound_port;
}

void HttpServer::run(bool handle_signals) {
  State* state = state_.get();
  if (handle_signals) {
    state->signals.emplace(state->ioc, SIGINT, SIGTERM);
    state->signals->async_wait([this](beast::error_code ec, int) {
      if (!ec) stop();
    });
  }
  net::post(state->acceptor.get_executor(), [state] {
    if (!state->stopping.load()) do_accept(state);
  });
  int threads = state->options.threads > 0 ? state->options.threads
                                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i)
    pool.emplace_back([state] {
      set_thread_name("pdex-io");
      request_short_time_slice(kRequestThreadSlice);  // see common/thread_slice.h
      state->ioc.run();
    });
  request_short_time_slice(kRequestThreadSlice);
  state->ioc.run();
  for (auto& t : pool) t.join();
}

void HttpServer::stop() {
  State* state = state_.get();
  net::post(state->acceptor.get_executor(), [state] {
    if (state->stopping.exchange(true)) return;
    beast::error_code ec;
    state->acceptor.close(ec);
    if (state->signals) state->signals->cancel(ec);
    std::vector<std::shared_ptr<Session>> live;
    {
      std::lock_guard lock(state->sessions_mutex);
      for (auto& [ptr, weak] : state->sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) net::post(s->executor(), [s] { s->on_server_stop(); });
    state->drain_deadline = std::chrono::steady_clock::now() + state->options.drain_timeout;
    state->drain_timer.emplace(state->ioc);
    poll_drain(state);
  });
}

std::size_t HttpServer::active_connections() const {
  return state_->session_count();
}

const ServerOptions& HttpServer::options() const {
  return state_->options;
}

}  // namespace pdex::service
