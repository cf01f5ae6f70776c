// The HTTP/1.1 transport of `pdex serve`: a Boost.Beast server that owns sockets, limits and shutdown,
// and hands every complete request to an HttpHandler (the application: router + middleware chain).
//
// Behaviour (DESIGN §7):
// - one io_context run by `threads` threads (default: one per core); each connection runs on its own strand,
//   so a connection's requests are handled one at a time, in the order they arrived: pipelined requests are
//   answered in order.
// - keep-alive unless the client (or HTTP/1.0 without keep-alive) says otherwise; TCP_NODELAY on every socket;
//   no Server banner.
// - limits: a body larger than max_body_bytes (declared by Content-Length or reached while reading a chunked
//   body) is answered 413, headers larger than max_header_bytes 431, an unparsable request 400, each through
//   HttpHandler::reject and followed by closing the connection (after draining what the client still sends, so
//   the client reads the answer instead of a reset). Connections beyond max_connections get 503 and are closed.
// - timeouts: idle_timeout while a keep-alive connection waits for the first byte of its next request;
//   header_timeout for the rest of the request (headers and body). Expiry closes the connection silently.
// - stop() (and SIGTERM/SIGINT when run(true)): stop accepting, close idle connections, let in-flight requests
//   finish and be answered with `Connection: close`, then run() returns. After drain_timeout the remaining
//   connections are abandoned and run() returns anyway.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "service/http_types.h"

namespace pdex::service {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8000;  // 0: any free port (see HttpServer::port())
  int threads = 0;             // 0: std::thread::hardware_concurrency()
  std::size_t max_body_bytes = 64 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::size_t max_connections = 1024;
  std::chrono::milliseconds drain_timeout{30'000};
};

struct PeerInfo {
  std::string address;  // remote IP address as text
};

// The application side. Both functions are called on the connection's strand, possibly from several I/O
// threads at once for different connections: implementations must be thread-safe. They must not throw;
// HttpServer turns an escaping exception into a bare 500 as a last resort.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // A complete request. The server sets keep-alive and Content-Length on the returned response.
  virtual Response handle(Request& request, const PeerInfo& peer) = 0;
  // What the server calls for a complete request. `respond` must be called exactly once, from any thread (the
  // server resumes the connection on its strand, so pipelined requests are still answered in order: the next
  // request of a connection is read only after this one's answer is written). The default answers inline with
  // handle(); an override may hand the work to other threads (service/worker_pool.h). Must not throw.
  using Respond = std::function<void(Response)>;
  virtual void handle_async(Request request, const PeerInfo& peer, Respond respond) { respond(handle(request, peer)); }
  // A request that cannot be served: 400 (unparsable), 413 (body too large), 431 (headers too large),
  // 503 (too many connections). `partial` holds what was parsed of the request line and headers (possibly
  // nothing). The connection is closed after the answer.
  virtual Response reject(int status, const std::string& detail, const Request& partial, const PeerInfo& peer) = 0;
};

class HttpServer {
 public:
  // `handler` must outlive the server.
  HttpServer(ServerOptions options, HttpHandler& handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Throws std::runtime_error naming the address when that fails (port in use...).
  void listen();
  // The bound port (after listen()).
  unsigned short port() const;
  // Serves until stop() completes; blocks the caller, which is one of the I/O threads. With
  // `handle_signals`, SIGTERM and SIGINT call stop(). Precondition: listen() was called.
  void run(bool handle_signals);
  // Begins the graceful stop described above. Thread-safe, idempotent, may be called before run().
  // Destroying the server requires run() to have returned (or never been called).
  void stop();

  // Open connections (the pdex_http_connections_active gauge).
  std::size_t active_connections() const;
  const ServerOptions& options() const;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace pdex::service
