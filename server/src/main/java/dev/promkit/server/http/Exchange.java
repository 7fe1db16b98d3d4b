package dev.promkit.server.http;

import dev.promkit.server.http.Connection.HttpError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Locale;

/**
 * One request and its response. The request's line and headers are read; its body is read through
 * {@link #requestBody()}. Answer with {@link #respond(int, long)} once, after setting headers with
 * {@link #responseHeader}; the server adds Date, Content-Length or Transfer-Encoding and Connection.
 */
public final class Exchange {
  private static final long NONE = -2; // no request body
  /** No body; unlike InputStream.nullInputStream() still usable after close() (the server drains it). */
  private static final InputStream EMPTY = new InputStream() {
    @Override
    public int read() {
      return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return len == 0 ? 0 : -1;
    }
  };

  private final Connection c;
  private final String method;
  private final String rawPath;
  private final String path;
  private final String rawQuery;
  private final boolean http10;
  private final String[] headers; // name, value, name, value, ...
  private final ArrayList<String> responseHeaders = new ArrayList<>(16);
  boolean keepAlive;
  private final long contentLength; // NONE, -1 for chunked, else the length
  private InputStream body;
  private Body out;

  private Exchange(Connection c, String method, String rawPath, String path, String rawQuery, boolean http10,
      String[] headers, long contentLength, boolean keepAlive) {
    this.c = c;
    this.method = method;
    this.rawPath = rawPath;
    this.path = path;
    this.rawQuery = rawQuery;
    this.http10 = http10;
    this.headers = headers;
    this.contentLength = contentLength;
    this.keepAlive = keepAlive;
  }

  /** The request method, as sent ({@code GET}, {@code POST}, ...). */
  public String method() {
    return method;
  }

  /** The path, still percent-encoded ({@code *} for {@code OPTIONS *}). */
  public String rawPath() {
    return rawPath;
  }

  /** The path with percent-escapes decoded (UTF-8). */
  public String path() {
    return path;
  }

  /** The query string without {@code ?}, still encoded, or null when the target has none. */
  public String rawQuery() {
    return rawQuery;
  }

  /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
  public String protocol() {
    return http10 ? "HTTP/1.0" : "HTTP/1.1";
  }

  /** The client's address. */
  public InetSocketAddress remoteAddress() {
    return c.remote();
  }

  /** The first value of a request header (name case-insensitive), or null. */
  public String requestHeader(String name) {
    for (int i = 0; i < headers.length; i += 2) {
      if (headers[i].equalsIgnoreCase(name)) {
        return headers[i + 1];
      }
    }
    return null;
  }

  /**
   * The request body: empty when there is none; reads fail with an IOException past the server's
   * body limit (the client then gets 413 if no response was started).
   */
  public InputStream requestBody() {
    return body();
  }

  InputStream body() {
    if (body == null) {
      body = contentLength == NONE ? EMPTY
          : contentLength < 0 ? new ChunkedBody() : new FixedBody(contentLength);
    }
    return body;
  }

  boolean bodyDone() {
    return contentLength == NONE || (body instanceof FixedBody ? ((FixedBody) body).left == 0
        : body instanceof ChunkedBody && ((ChunkedBody) body).done);
  }

  /**
   * Sets a response header, replacing earlier values of the same name. Content-Length,
   * Transfer-Encoding and Connection are the server's: set through {@link #respond}'s length, and
   * {@code Connection: close} only closes the connection after the response.
   *
   * @throws IllegalArgumentException when name or value holds a line break
   */
  public void responseHeader(String name, String value) {
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch <= ' ' || ch == ':' || ch >= 127) {
        throw new IllegalArgumentException("invalid response header name '" + name + "'");
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if (ch == '\r' || ch == '\n' || ch > 255) {
        throw new IllegalArgumentException("invalid value for response header " + name + ": line break or non-Latin-1 character");
      }
    }
    for (int i = 0; i < responseHeaders.size(); i += 2) {
      if (responseHeaders.get(i).equalsIgnoreCase(name)) {
        responseHeaders.set(i + 1, value);
        return;
      }
    }
    responseHeaders.add(name);
    responseHeaders.add(value);
  }

  boolean responded() {
    return out != null;
  }

  /**
   * Starts the response: status line and headers go into the connection's buffer, to be written with
   * the body.
   *
   * @param status the status code
   * @param length the body's length, or -1 when unknown (streamed: chunked on HTTP/1.1, ended by
   *     closing on HTTP/1.0); for HEAD the length is announced and the body discarded
   * @return where the body goes; closing it ends the response (the server closes it otherwise)
   * @throws IllegalStateException when a response was started already
   */
  public OutputStream respond(int status, long length) throws IOException {
    if (out != null) {
      throw new IllegalStateException("response already started");
    }
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("invalid HTTP status " + status);
    }
    boolean head = method.equals("HEAD");
    boolean bodiless = status < 200 || status == 204 || status == 304;
    if (c.continuePending) {
      keepAlive = false; // answered before the announced body: the client may not send it now
    }
    if (length < 0 && !head && !bodiless && http10) {
      keepAlive = false; // the body's end is the connection's end
    }
    if (c.server.isClosing()) {
      keepAlive = false;
    }
    for (int i = 0; i < responseHeaders.size(); i += 2) {
      if (responseHeaders.get(i).equalsIgnoreCase("Connection") && hasToken(responseHeaders.get(i + 1), "close")) {
        keepAlive = false; // the handler asks for it
      }
    }
    c.putAscii("HTTP/1.1 ");
    c.putDecimal(status);
    c.put((byte) ' ');
    c.putAscii(reason(status));
    c.putAscii("\r\nDate: ");
    c.putAscii(HttpDate.now());
    for (int i = 0; i < responseHeaders.size(); i += 2) {
      String name = responseHeaders.get(i);
      if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
          || name.equalsIgnoreCase("Connection")) {
        continue; // framing and connection headers are the server's, from respond's length and keepAlive
      }
      c.putAscii("\r\n");
      c.putAscii(responseHeaders.get(i));
      c.putAscii(": ");
      c.putAscii(responseHeaders.get(i + 1));
    }
    boolean chunked = false;
    if (!bodiless) {
      if (length >= 0) {
        c.putAscii("\r\nContent-Length: ");
        c.putDecimal(length);
      } else if (!http10 && !head) {
        c.putAscii("\r\nTransfer-Encoding: chunked");
        chunked = true;
      }
    }
    if (!keepAlive) {
      c.putAscii("\r\nConnection: close");
    } else if (http10) {
      c.putAscii("\r\nConnection: keep-alive");
    }
    c.putAscii("\r\n\r\n");
    if (head || bodiless) {
      out = new Body(0, false, true);
    } else {
      out = new Body(length, chunked, false);
    }
    return out;
  }

  /** Ends the response body; false when the body came short of its announced length. */
  boolean finishBody() throws IOException {
    out.close();
    return !out.shortBody;
  }

  // ---- the response body ----

  /**
   * The response body: into the connection's buffer, which goes out when full or when the body is
   * closed. Chunked, each buffer's worth of body is one chunk whose size line takes the 6 bytes
   * reserved in front of it (four hex digits, zero-padded: chunks stay under 64 KiB).
   */
  private final class Body extends OutputStream {
    private final long length; // -1 when chunked or close-delimited
    private final boolean chunked;
    private final boolean discard;
    private long written;
    private int chunkStart = -1; // where the current chunk's size line goes, or -1
    private boolean closed;
    boolean shortBody;

    Body(long length, boolean chunked, boolean discard) throws IOException {
      this.length = length;
      this.chunked = chunked;
      this.discard = discard;
      if (chunked) {
        reserve();
      }
    }

    private void reserve() throws IOException {
      if (c.op > c.ob.length - 64) {
        c.flush();
      }
      chunkStart = c.op;
      c.op += 6; // "XXXX\r\n"
    }

    /** Puts the size line in front of the current chunk's data (or drops an empty chunk's slot). */
    private void sealChunk() {
      int size = c.op - chunkStart - 6;
      if (size == 0) {
        c.op = chunkStart;
      } else {
        byte[] ob = c.ob;
        for (int i = 3; i >= 0; i--) {
          ob[chunkStart + i] = HEX[size & 15];
          size >>>= 4;
        }
        ob[chunkStart + 4] = '\r';
        ob[chunkStart + 5] = '\n';
        ob[c.op++] = '\r';
        ob[c.op++] = '\n';
      }
      chunkStart = -1;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("response body already closed");
      }
      if (discard || len == 0) {
        return;
      }
      if (length >= 0 && written + len > length) {
        throw new IOException("response body longer than its Content-Length " + length);
      }
      written += len;
      if (!chunked) {
        c.putBytes(b, off, len);
        return;
      }
      while (len > 0) {
        int room = c.ob.length - 2 - c.op; // 2: the chunk's closing CRLF
        if (room <= 0) {
          sealChunk();
          c.flush();
          reserve();
          continue;
        }
        int k = Math.min(room, len);
        System.arraycopy(b, off, c.ob, c.op, k);
        c.op += k;
        off += k;
        len -= k;
      }
    }

    /** Nothing: the buffer goes out when full or at close, so that a small response is one write. */
    @Override
    public void flush() {}

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      if (chunked) {
        sealChunk();
        c.putAscii("0\r\n\r\n");
      }
      if (length >= 0 && written < length && !discard) {
        shortBody = true;
      }
      c.flush();
    }
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  // ---- the request body ----

  private void checkBodyLimit(long total) throws HttpError {
    if (total > c.server.options.maxBodyBytes()) {
      throw new HttpError(413, "request body exceeds " + c.server.options.maxBodyBytes() + " bytes");
    }
  }

  /** A request body: the single-byte read goes through the bulk read of each kind. */
  private abstract static class BodyStream extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }

  /** A body of known length: first what the head's buffer holds, then the socket. */
  private final class FixedBody extends BodyStream {
    long left;

    FixedBody(long length) {
      this.left = length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      int want = (int) Math.min(len, left);
      int n;
      if (c.ip < c.il) {
        n = Math.min(want, c.il - c.ip);
        System.arraycopy(c.ib, c.ip, b, off, n);
        c.ip += n;
        c.continuePending = false; // the client sends the body without waiting for 100 Continue
      } else {
        c.ip = 0;
        c.il = 0;
        n = c.readDirect(b, off, want);
        if (n < 0) {
          throw Connection.truncated("request body (" + left + " bytes missing)");
        }
      }
      left -= n;
      return n;
    }

    @Override
    public int available() {
      return (int) Math.min(left, c.il - c.ip);
    }
  }

  /** A chunked body (RFC 9112 7.1), trailers skipped. */
  private final class ChunkedBody extends BodyStream {
    private long chunkLeft; // of the current chunk's data
    private long total;
    boolean done;
    private boolean started;

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      if (!started) {
        started = true;
        c.sendContinue();
      }
      if (chunkLeft == 0) {
        if (total > 0) {
          expectCrlf();
        }
        chunkLeft = chunkSize();
        if (chunkLeft == 0) {
          skipTrailers();
          done = true;
          return -1;
        }
        total += chunkLeft;
        checkBodyLimit(total);
      }
      if (c.ip == c.il) {
        need();
      }
      int n = (int) Math.min(Math.min(len, chunkLeft), c.il - c.ip);
      System.arraycopy(c.ib, c.ip, b, off, n);
      c.ip += n;
      chunkLeft -= n;
      return n;
    }

    @Override
    public int available() {
      return done ? 0 : (int) Math.min(chunkLeft, c.il - c.ip);
    }

    private void need() throws IOException {
      if (c.ip == c.il) {
        c.ip = 0;
        c.il = 0;
      }
      if (!c.fill()) {
        throw Connection.truncated("chunked request body");
      }
    }

    private int next() throws IOException {
      if (c.ip == c.il) {
        need();
      }
      return c.ib[c.ip++] & 0xff;
    }

    private void expectCrlf() throws IOException {
      int a = next();
      if (a == '\r') {
        a = next();
      }
      if (a != '\n') {
        throw new HttpError(400, "malformed chunked request body: chunk data not followed by CRLF");
      }
    }

    /** Reads "hex[;ext]CRLF". */
    private long chunkSize() throws IOException {
      long size = 0;
      int digits = 0;
      int ch;
      while (true) {
        ch = next();
        int d = Character.digit(ch, 16);
        if (d < 0) {
          break;
        }
        if (++digits > 15) {
          throw new HttpError(400, "malformed chunked request body: chunk size too long");
        }
        size = size * 16 + d;
      }
      if (digits == 0) {
        throw new HttpError(400, "malformed chunked request body: chunk size expected");
      }
      int skipped = 0;
      while (ch != '\n') { // extensions, spaces and the CR
        if (++skipped > 4096) {
          throw new HttpError(400, "malformed chunked request body: chunk extension longer than 4096 bytes");
        }
        if (ch != ';' && ch != '\r' && ch != ' ' && ch != '\t' && skipped == 1) {
          throw new HttpError(400, "malformed chunked request body: bad character after the chunk size");
        }
        ch = next();
      }
      return size;
    }

    private void skipTrailers() throws IOException {
      int lineLength = 0;
      long total = 0;
      while (true) {
        int ch = next();
        if (++total > c.server.options.maxHeaderBytes()) {
          throw new HttpError(431, "chunked request trailers exceed " + c.server.options.maxHeaderBytes() + " bytes");
        }
        if (ch == '\n') {
          if (lineLength == 0) {
            return;
          }
          lineLength = 0;
        } else if (ch != '\r') {
          lineLength++;
        }
      }
    }
  }

  // ---- parsing the head ----

  /** Parses the head in c.ib[c.ip, end) and consumes it. */
  static Exchange parse(Connection c, int end) throws IOException {
    byte[] b = c.ib;
    int p = c.ip;
    int eol = lineEnd(b, p, end);
    int lineStop = eol > p && b[eol - 1] == '\r' ? eol - 1 : eol;
    int sp1 = indexOf(b, p, lineStop, (byte) ' ');
    int sp2 = sp1 < 0 ? -1 : indexOf(b, sp1 + 1, lineStop, (byte) ' ');
    if (sp1 <= p || sp2 <= sp1 + 1 || sp2 == lineStop - 1) {
      throw new HttpError(400, "malformed request line '" + ascii(b, p, Math.min(lineStop, p + 200)) + "'");
    }
    String method = ascii(b, p, sp1);
    for (int i = 0; i < method.length(); i++) {
      if (!isTokenChar(method.charAt(i))) {
        throw new HttpError(400, "malformed request method '" + method + "'");
      }
    }
    String version = ascii(b, sp2 + 1, lineStop);
    boolean http10;
    if (version.equals("HTTP/1.1")) {
      http10 = false;
    } else if (version.equals("HTTP/1.0")) {
      http10 = true;
    } else if (version.startsWith("HTTP/1.") && version.length() == 8 && Character.isDigit(version.charAt(7))) {
      http10 = false;
    } else if (version.startsWith("HTTP/") && version.length() == 8) {
      throw new HttpError(505, "unsupported protocol version " + version);
    } else {
      throw new HttpError(400, "malformed protocol version '" + version + "'");
    }
    String target = ascii(b, sp1 + 1, sp2);
    // headers
    ArrayList<String> h = new ArrayList<>(24);
    int q = eol + 1;
    while (q < end) {
      int e = lineEnd(b, q, end);
      int stop = e > q && b[e - 1] == '\r' ? e - 1 : e;
      if (stop == q) {
        break; // the blank line
      }
      if (b[q] == ' ' || b[q] == '\t') {
        throw new HttpError(400, "obsolete folded header line '" + ascii(b, q, Math.min(stop, q + 100)) + "'");
      }
      int colon = indexOf(b, q, stop, (byte) ':');
      if (colon <= q) {
        throw new HttpError(400, "malformed header line '" + ascii(b, q, Math.min(stop, q + 100)) + "'");
      }
      for (int i = q; i < colon; i++) {
        if (!isTokenChar((char) (b[i] & 0xff))) {
          throw new HttpError(400, "malformed header name '" + ascii(b, q, colon) + "'");
        }
      }
      int vs = colon + 1;
      while (vs < stop && (b[vs] == ' ' || b[vs] == '\t')) {
        vs++;
      }
      int ve = stop;
      while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
        ve--;
      }
      h.add(ascii(b, q, colon));
      h.add(new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1));
      q = e + 1;
    }
    c.ip = end;
    // copied by hand: ArrayList.toArray's compiled copy is shared by every caller in the JVM, and its
    // type speculation failed (a deoptimization) on a server's first real request after the warm-up
    String[] headers = new String[h.size()];
    for (int i = 0; i < headers.length; i++) {
      headers[i] = h.get(i);
    }

    // the target: origin-form, absolute-form or "*"
    String rawPath;
    String rawQuery = null;
    if (target.startsWith("/")) {
      rawPath = target;
    } else if (target.equals("*")) {
      rawPath = "*";
    } else {
      int scheme = target.indexOf("://");
      String lower = target.toLowerCase(Locale.ROOT);
      if (scheme < 0 || !(lower.startsWith("http://") || lower.startsWith("https://"))) {
        throw new HttpError(400, "malformed request target '" + target + "'");
      }
      int slash = target.indexOf('/', scheme + 3);
      int qm = target.indexOf('?', scheme + 3);
      if (slash < 0 || (qm >= 0 && qm < slash)) {
        rawPath = "/" + (qm >= 0 ? target.substring(qm) : "");
      } else {
        rawPath = target.substring(slash);
      }
    }
    int hash = rawPath.indexOf('#');
    if (hash >= 0) {
      rawPath = rawPath.substring(0, hash);
    }
    int qm = rawPath.indexOf('?');
    if (qm >= 0) {
      rawQuery = rawPath.substring(qm + 1);
      rawPath = rawPath.substring(0, qm);
    }
    String path = rawPath.indexOf('%') < 0 ? rawPath : decodePath(rawPath);

    // the body's framing
    long length = NONE;
    String te = null;
    String cl = null;
    String connection = null;
    String expect = null;
    for (int i = 0; i < headers.length; i += 2) {
      String n = headers[i];
      if (n.equalsIgnoreCase("Content-Length")) {
        if (cl != null && !cl.equals(headers[i + 1])) {
          throw new HttpError(400, "conflicting Content-Length headers");
        }
        cl = headers[i + 1];
      } else if (n.equalsIgnoreCase("Transfer-Encoding")) {
        te = te == null ? headers[i + 1] : te + ", " + headers[i + 1];
      } else if (n.equalsIgnoreCase("Connection")) {
        connection = connection == null ? headers[i + 1] : connection + ", " + headers[i + 1];
      } else if (n.equalsIgnoreCase("Expect")) {
        expect = headers[i + 1];
      }
    }
    if (te != null) {
      if (cl != null) {
        throw new HttpError(400, "request has both Transfer-Encoding and Content-Length");
      }
      if (http10 || !te.trim().equalsIgnoreCase("chunked")) {
        throw new HttpError(501, "unsupported Transfer-Encoding '" + te + "' (only chunked)");
      }
      length = -1;
    } else if (cl != null) {
      length = parseLength(cl);
      if (length > c.server.options.maxBodyBytes()) {
        throw new HttpError(413, "request body of " + length + " bytes exceeds " + c.server.options.maxBodyBytes()
            + " bytes");
      }
      if (length == 0) {
        length = NONE;
      }
    }
    boolean keepAlive = http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
    c.continuePending = false;
    if (expect != null && !http10) {
      if (!expect.equalsIgnoreCase("100-continue")) {
        throw new HttpError(417, "unsupported expectation '" + expect + "'");
      }
      c.continuePending = length != NONE;
    }
    return new Exchange(c, method, rawPath, path, rawQuery, http10, headers, length, keepAlive);
  }

  private static long parseLength(String s) throws HttpError {
    if (s.isEmpty() || s.length() > 18) {
      throw new HttpError(400, "invalid Content-Length '" + s + "'");
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        throw new HttpError(400, "invalid Content-Length '" + s + "'");
      }
      v = v * 10 + (ch - '0');
    }
    return v;
  }

  private static boolean hasToken(String list, String token) {
    if (list == null) {
      return false;
    }
    for (String t : list.split(",")) {
      if (t.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static String decodePath(String raw) throws HttpError {
    byte[] out = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char ch = raw.charAt(i);
      if (ch == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
        if (lo < 0) {
          throw new HttpError(400, "invalid URL escape in path '" + raw + "'");
        }
        out[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else {
        out[n++] = (byte) ch;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static boolean isTokenChar(char ch) {
    if (ch <= ' ' || ch >= 127) {
      return false;
    }
    return "\"(),/:;<=>?@[\\]{}".indexOf(ch) < 0;
  }

  private static int lineEnd(byte[] b, int from, int end) {
    for (int i = from; i < end; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return end;
  }

  private static int indexOf(byte[] b, int from, int to, byte x) {
    for (int i = from; i < to; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  @SuppressWarnings("deprecation")
  private static String ascii(byte[] b, int from, int to) {
    return new String(b, 0, from, to - from); // Latin-1, the fastest String from bytes
  }

  static String reason(int status) {
    String text = StatusText.of(status);
    return text.isEmpty() ? "Status " + status : text;
  }

}
