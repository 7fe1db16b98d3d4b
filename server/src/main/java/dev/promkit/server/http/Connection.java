package dev.promkit.server.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection, served on one thread: reads requests from a buffer, runs the handler, writes the
 * response through a buffer that the status line, headers and (when it fits) the whole body share.
 */
final class Connection {
  private static final System.Logger LOG = System.getLogger(Connection.class.getName());
  private static final int IDLE = 0;
  private static final int BUSY = 1;
  private static final int CLOSED = 2;
  static final int OUT_BUFFER = 1 << 16;
  private static final int IN_BUFFER = 16 << 10;
  private static final int DRAIN_LIMIT = 256 << 10; // unread body bytes skipped to keep a connection
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** A thread's buffers, kept across the connections it serves (one at a time). */
  private static final ThreadLocal<byte[][]> BUFFERS =
      ThreadLocal.withInitial(() -> new byte[][] {new byte[IN_BUFFER], new byte[OUT_BUFFER]});

  final Http1Server server;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  byte[] ib; // input: unread bytes are ib[ip, il)
  int ip;
  int il;
  final byte[] ob; // output: pending bytes are ob[0, op)
  int op;
  private long deadline; // System.nanoTime() by which the current request must be read; 0 between requests
  private int timeout = -1; // the socket's current SO_TIMEOUT
  boolean continuePending; // 100 Continue owed before the body's first read

  Connection(Http1Server server, Socket socket) throws IOException {
    this.server = server;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    byte[][] b = BUFFERS.get();
    if (b[0].length > IN_BUFFER * 4) {
      b[0] = new byte[IN_BUFFER]; // do not keep a buffer grown for one huge request
    }
    this.ib = b[0];
    this.ob = b[1];
  }

  /** Serves requests until the client closes, an error, a timeout or the server's close. */
  void run() {
    try {
      while (true) {
        Exchange ex;
        try {
          ex = readRequest();
        } catch (HttpError e) {
          sendError(e);
          return;
        } catch (SocketTimeoutException e) {
          sendError(new HttpError(408, "request not read within " + server.options.readTimeout()));
          return;
        }
        if (ex == null) {
          return;
        }
        if (!serve(ex)) {
          return;
        }
        if (server.isClosing() || !state.compareAndSet(BUSY, IDLE)) {
          return;
        }
        if (server.isClosing()) { // close() may have looked before this was idle
          return;
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "HTTP connection ended: " + e);
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, "HTTP connection failed", e);
    }
  }

  /** Runs the handler and finishes the response; whether the connection may serve another request. */
  private boolean serve(Exchange ex) throws IOException {
    try {
      server.handler.handle(ex);
      if (!ex.responded()) {
        ex.respond(500, 0);
        LOG.log(System.Logger.Level.WARNING, "HTTP handler sent no response to " + ex.method() + " " + ex.rawPath());
        ex.keepAlive = false;
      }
    } catch (HttpError e) { // raised by the request body: too large, malformed
      if (ex.responded()) {
        return false;
      }
      sendError(e);
      return false;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "HTTP handler failed on " + ex.method() + " " + ex.rawPath() + ": " + e);
      if (!ex.responded()) {
        sendError(new HttpError(500, "internal error: " + e));
      }
      return false;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "HTTP handler failed on " + ex.method() + " " + ex.rawPath(), e);
      if (!ex.responded()) {
        sendError(new HttpError(500, "internal error: " + e));
      }
      return false;
    }
    if (!ex.finishBody()) {
      return false; // the body came short of its Content-Length: the framing is broken
    }
    flush();
    if (!ex.keepAlive) {
      drain(ex); // so that closing with unread request bytes does not reset the connection
      return false;
    }
    return drain(ex);
  }

  /** Skips what the handler left of the request body, if little; false when the connection must close. */
  private boolean drain(Exchange ex) {
    if (continuePending) {
      return false; // the client may or may not send the body it announced: only closing is safe
    }
    InputStream body = ex.body();
    try {
      long skipped = 0;
      byte[] scratch = null;
      while (true) {
        if (body.available() == 0 && ex.bodyDone()) {
          return true;
        }
        if (scratch == null) {
          scratch = new byte[8192];
        }
        int n = body.read(scratch, 0, scratch.length);
        if (n < 0) {
          return true;
        }
        skipped += n;
        if (skipped > DRAIN_LIMIT) {
          return false;
        }
      }
    } catch (IOException e) {
      return false;
    }
  }

  // ---- reading ----

  /** The next request's head, or null when the connection ends cleanly before one. */
  private Exchange readRequest() throws IOException {
    deadline = 0;
    if (ip == il) {
      ip = 0;
      il = 0;
      try {
        if (!fill()) {
          return null;
        }
      } catch (SocketTimeoutException e) {
        return null; // idle too long
      } catch (SocketException e) {
        if (state.get() == CLOSED) {
          return null; // closed by the server's close()
        }
        throw e;
      }
    }
    if (!state.compareAndSet(IDLE, BUSY)) {
      return null;
    }
    deadline = System.nanoTime() + server.readTimeoutNanos;
    int max = server.options.maxHeaderBytes();
    int scan = ip;
    while (true) {
      while (ip < il && (ib[ip] == '\r' || ib[ip] == '\n')) {
        ip++; // empty lines before a request line are ignored (RFC 9112 2.2)
      }
      if (scan < ip) {
        scan = ip;
      }
      int end = headEnd(scan);
      if (end >= 0) {
        if (end - ip > max) {
          throw tooLarge(max);
        }
        return Exchange.parse(this, end);
      }
      if (il - ip > max) {
        throw tooLarge(max);
      }
      scan = Math.max(ip, il - 3);
      int before = ip;
      if (!fill()) {
        if (il == ip) {
          return null;
        }
        throw new HttpError(400, "connection closed in the middle of the request head");
      }
      scan -= before - ip; // fill() may have moved the unread bytes to the buffer's start
    }
  }

  private static HttpError tooLarge(int max) {
    return new HttpError(431, "request line and headers exceed " + max + " bytes");
  }

  /** The index just past the blank line ending the head in ib[from, il), or -1. */
  private int headEnd(int from) {
    for (int i = from; i < il; i++) {
      if (ib[i] == '\n') {
        if (i + 1 < il && ib[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < il && ib[i + 1] == '\r' && ib[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  /**
   * Reads more bytes after il, first moving unread bytes to the start of the buffer (or growing it
   * up to the header limit); false at the end of the stream.
   */
  boolean fill() throws IOException {
    if (il == ib.length) {
      if (ip > 0) {
        System.arraycopy(ib, ip, ib, 0, il - ip);
        il -= ip;
        ip = 0;
      } else {
        int cap = Math.max(ib.length, server.options.maxHeaderBytes() + 4);
        if (ib.length >= cap) {
          throw new HttpError(431, "request line and headers exceed " + server.options.maxHeaderBytes() + " bytes");
        }
        byte[] b = new byte[(int) Math.min(cap, (long) ib.length * 2)];
        System.arraycopy(ib, 0, b, 0, il);
        ib = b;
      }
    }
    setTimeout();
    int n = in.read(ib, il, ib.length - il);
    if (n < 0) {
      return false;
    }
    il += n;
    return true;
  }

  /** Reads body bytes straight into b (no copy through ib); the caller has used up ib. */
  int readDirect(byte[] b, int off, int len) throws IOException {
    sendContinue();
    setTimeout();
    return in.read(b, off, len);
  }

  /** Sends the owed 100 Continue before reading a body the client holds back. */
  void sendContinue() throws IOException {
    if (continuePending) {
      continuePending = false;
      out.write(CONTINUE);
    }
  }

  private void setTimeout() throws IOException {
    int ms;
    if (deadline == 0) {
      ms = server.idleTimeoutMillis;
    } else {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("read timeout");
      }
      ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, left / 1_000_000));
    }
    if (ms != timeout) {
      socket.setSoTimeout(ms);
      timeout = ms;
    }
  }

  // ---- writing ----

  void put(byte b) throws IOException {
    if (op == ob.length) {
      flush();
    }
    ob[op++] = b;
  }

  /** Appends an ASCII string (header text). */
  @SuppressWarnings("deprecation")
  void putAscii(String s) throws IOException {
    int n = s.length();
    if (op + n > ob.length) {
      flush();
      if (n > ob.length) {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        return;
      }
    }
    s.getBytes(0, n, ob, op); // deprecated but exact for the ASCII header text, and copy-only
    op += n;
  }

  void putDecimal(long v) throws IOException {
    putAscii(Long.toString(v));
  }

  /** Appends body bytes, writing the buffer when full; a large write goes straight out. */
  void putBytes(byte[] b, int off, int len) throws IOException {
    if (len > ob.length - op && len >= ob.length / 2) {
      flush(); // a large piece: one write of it rather than copies through the buffer
      out.write(b, off, len);
      return;
    }
    while (len > 0) {
      if (op == ob.length) {
        flush();
      }
      int k = Math.min(len, ob.length - op);
      System.arraycopy(b, off, ob, op, k);
      op += k;
      off += k;
      len -= k;
    }
  }

  void flush() throws IOException {
    if (op > 0) {
      int n = op;
      op = 0;
      out.write(ob, 0, n);
    }
  }

  /** Answers with a server error and no keep-alive; the request's body (if any) is left unread. */
  void sendError(HttpError e) {
    try {
      op = 0;
      byte[] body = (e.status + " " + Exchange.reason(e.status) + ": " + e.getMessage() + "\n")
          .getBytes(StandardCharsets.UTF_8);
      putAscii("HTTP/1.1 " + e.status + " " + Exchange.reason(e.status)
          + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: " + body.length
          + "\r\n\r\n");
      putBytes(body, 0, body.length);
      flush();
      lingerAndClose();
    } catch (IOException x) {
      LOG.log(System.Logger.Level.DEBUG, "sending HTTP " + e.status + " failed: " + x);
    }
  }

  /**
   * Ends the connection after an error response so that unread request bytes do not make the
   * client's kernel drop the response with a reset: stop sending, skip input briefly, close.
   */
  private void lingerAndClose() {
    try {
      socket.shutdownOutput();
      socket.setSoTimeout(500);
      byte[] scratch = ib;
      long until = System.nanoTime() + 500_000_000L;
      long total = 0;
      while (total < DRAIN_LIMIT && System.nanoTime() - until < 0) {
        int n = in.read(scratch, 0, scratch.length);
        if (n < 0) {
          break;
        }
        total += n;
      }
    } catch (IOException e) {
      // closing anyway
    }
    close();
  }

  // ---- state ----

  /** Closes the connection if it waits for a request (for the server's close). */
  void closeIfIdle() {
    if (state.compareAndSet(IDLE, CLOSED)) {
      Http1Server.closeQuietly(socket);
    }
  }

  void close() {
    state.set(CLOSED);
    Http1Server.closeQuietly(socket);
  }

  java.net.InetSocketAddress remote() {
    return (java.net.InetSocketAddress) socket.getRemoteSocketAddress();
  }

  /** A request that cannot be served, with the status that says why. */
  static final class HttpError extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  static EOFException truncated(String what) {
    return new EOFException("connection closed in the middle of the " + what);
  }
}
