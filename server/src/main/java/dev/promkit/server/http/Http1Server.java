package dev.promkit.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server: a connection is read, parsed, answered and kept alive on one thread,
 * with no hand-off between an acceptor and a worker. The idle threads all wait in
 * {@code accept()}; the one that gets a connection serves it, after starting another thread if none
 * is left waiting and the connection limit allows (as Prometheus' {@code --web.max-connections},
 * 512 by default: past it, connections wait in the listen backlog). Threads that waited a minute
 * for a connection while another one waited too end.
 *
 * <p>Requests: request line and headers parsed from one buffer (at most
 * {@link Options#maxHeaderBytes}, else 431), bodies with Content-Length or chunked (at most
 * {@link Options#maxBodyBytes}, else 413), {@code Expect: 100-continue}, keep-alive and
 * pipelining, HTTP/1.0. Responses: status line, headers and a body of known length go out in one
 * write when they fit the 64 KiB buffer; a body of unknown length is chunked (HTTP/1.1) or ends
 * with the connection (HTTP/1.0); HEAD, 1xx, 204 and 304 responses carry no body. A request must be
 * read within {@link Options#readTimeout} of its first byte (else 408) and a kept-alive connection
 * is closed after {@link Options#idleTimeout} without one. TCP_NODELAY is on for every connection.
 * There is no write timeout (as in Prometheus): a client that stops reading holds its thread until
 * it goes away or the server closes.
 */
public final class Http1Server implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Http1Server.class.getName());
  private static final int ACCEPT_POLL_MS = 60_000; // an idle thread past the first retires after this

  /**
   * Limits and timeouts.
   *
   * @param maxConnections connections served at once (one thread each)
   * @param maxHeaderBytes request line plus headers, in bytes
   * @param maxBodyBytes request body, in bytes
   * @param readTimeout from a request's first byte to its last
   * @param idleTimeout how long a kept-alive connection waits for its next request
   * @param shutdownGrace how long {@link #close()} lets requests in flight finish
   */
  public record Options(int maxConnections, int maxHeaderBytes, long maxBodyBytes, Duration readTimeout,
      Duration idleTimeout, Duration shutdownGrace) {
    /** Validates. */
    public Options {
      if (maxConnections < 1 || maxHeaderBytes < 256 || maxBodyBytes < 0) {
        throw new IllegalArgumentException("invalid HTTP server limits: maxConnections=" + maxConnections
            + ", maxHeaderBytes=" + maxHeaderBytes + " (at least 256), maxBodyBytes=" + maxBodyBytes);
      }
      if (readTimeout.isNegative() || readTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()
          || shutdownGrace.isNegative()) {
        throw new IllegalArgumentException("HTTP server timeouts must be positive: read " + readTimeout
            + ", idle " + idleTimeout + ", shutdown grace " + shutdownGrace);
      }
    }

    /**
     * Prometheus' defaults: 512 connections, 1 MiB of headers (Go's), 16 MiB bodies, 5 minutes to
     * read a request ({@code --web.read-timeout}) and as long idle, 1 second for requests in flight
     * at close.
     */
    public static Options defaults() {
      return new Options(512, 1 << 20, 16 << 20, Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(1));
    }

    /** With other timeouts. */
    public Options withTimeouts(Duration read, Duration idle) {
      return new Options(maxConnections, maxHeaderBytes, maxBodyBytes, read, idle, shutdownGrace);
    }

    /** With other size limits. */
    public Options withLimits(int headerBytes, long bodyBytes) {
      return new Options(maxConnections, headerBytes, bodyBytes, readTimeout, idleTimeout, shutdownGrace);
    }

    /** With another time for requests in flight at {@link Http1Server#close()}. */
    public Options withShutdownGrace(Duration grace) {
      return new Options(maxConnections, maxHeaderBytes, maxBodyBytes, readTimeout, idleTimeout, grace);
    }

    /** With another connection limit. */
    public Options withMaxConnections(int n) {
      return new Options(n, maxHeaderBytes, maxBodyBytes, readTimeout, idleTimeout, shutdownGrace);
    }
  }

  final Handler handler;
  final Options options;
  final long readTimeoutNanos;
  final int idleTimeoutMillis;
  private final ServerSocket socket;
  private final AtomicInteger threads = new AtomicInteger();
  private final AtomicInteger accepting = new AtomicInteger(); // threads waiting in accept()
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private Http1Server(ServerSocket socket, Handler handler, Options options) {
    this.socket = socket;
    this.handler = handler;
    this.options = options;
    this.readTimeoutNanos = options.readTimeout().toNanos();
    this.idleTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, options.idleTimeout().toMillis()));
  }

  /**
   * Binds and starts serving.
   *
   * @param address where to listen (port 0 for any free port)
   * @throws IOException if the address cannot be bound
   */
  public static Http1Server start(InetSocketAddress address, Handler handler, Options options) throws IOException {
    ServerSocket ss = new ServerSocket();
    try {
      ss.setReuseAddress(true);
      ss.bind(address, 128);
      ss.setSoTimeout(ACCEPT_POLL_MS);
    } catch (IOException | RuntimeException e) {
      ss.close();
      throw e;
    }
    Http1Server s = new Http1Server(ss, handler, options);
    s.threads.incrementAndGet();
    s.spawn();
    return s;
  }

  /** The bound port. */
  public int port() {
    return socket.getLocalPort();
  }

  boolean isClosing() {
    return closed;
  }

  /** Serving threads now, idle ones included (for tests). */
  int threads() {
    return threads.get();
  }

  /** Connections open now (for tests). */
  int openConnections() {
    return connections.size();
  }

  /** Starts a thread, already counted in {@link #threads}. */
  private void spawn() {
    Thread t = new Thread(this::work, "promkit-http");
    t.setDaemon(true);
    workers.add(t);
    t.start();
  }

  private void work() {
    try {
      while (!closed) {
        Socket s;
        accepting.incrementAndGet();
        try {
          s = socket.accept();
        } catch (SocketTimeoutException e) {
          if (retire()) {
            return;
          }
          continue;
        } catch (IOException e) {
          accepting.decrementAndGet();
          if (!closed) {
            LOG.log(System.Logger.Level.WARNING, "HTTP accept failed: " + e);
            pause(); // e.g. out of file descriptors: do not spin
          }
          continue;
        }
        if (accepting.decrementAndGet() == 0) {
          startAnotherAcceptor(); // serve this one ourselves; someone else waits for the next
        }
        serve(s);
      }
    } finally {
      workers.remove(Thread.currentThread());
      threads.decrementAndGet();
    }
  }

  /** After an accept timeout: ends this thread if another one is accepting too. */
  private boolean retire() {
    while (true) {
      int a = accepting.get();
      if (a <= 1) {
        accepting.decrementAndGet(); // the loop counts itself again before its next accept
        return false;
      }
      if (accepting.compareAndSet(a, a - 1)) {
        return true;
      }
    }
  }

  private void startAnotherAcceptor() {
    while (true) {
      int n = threads.get();
      if (n >= options.maxConnections() || closed) {
        return; // at the limit: the next connection waits in the backlog until a thread is free
      }
      if (threads.compareAndSet(n, n + 1)) {
        spawn();
        return;
      }
    }
  }

  private void serve(Socket s) {
    Connection c;
    try {
      s.setTcpNoDelay(true); // small responses must not wait for the client's delayed ACK
      c = new Connection(this, s);
    } catch (IOException e) {
      closeQuietly(s);
      return;
    }
    connections.add(c);
    try {
      if (closed) {
        return;
      }
      c.run();
    } finally {
      connections.remove(c);
      c.close();
    }
  }

  /**
   * Stops accepting, closes idle connections, lets requests in flight finish for
   * {@link Options#shutdownGrace}, then closes what is left and waits briefly for the threads.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the HTTP listener: " + e);
    }
    long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
    while (true) {
      for (Connection c : connections) {
        c.closeIfIdle();
      }
      if (connections.isEmpty() || System.nanoTime() - deadline >= 0) {
        break;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Connection c : connections) {
      c.close();
    }
    long joinUntil = System.nanoTime() + 2_000_000_000L;
    for (Thread t : workers) {
      long left = (joinUntil - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        break;
      }
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }
}
