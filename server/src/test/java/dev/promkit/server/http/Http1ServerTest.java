package dev.promkit.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP/1.1 server's own behaviour, over raw sockets. */
@Timeout(60)
class Http1ServerTest {
  private Http1Server server;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Echoes method, path, query, the client's port and the body; /big streams 200,000 bytes. */
  private static final Handler ECHO = ex -> {
    if (ex.rawPath().equals("/big")) {
      ex.responseHeader("Content-Type", "text/plain");
      try (OutputStream out = ex.respond(200, -1)) {
        byte[] line = "0123456789\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 200_000 / line.length; i++) {
          out.write(line);
        }
      }
      return;
    }
    byte[] body = ex.requestBody().readAllBytes();
    String text = ex.method() + " " + ex.path() + " " + ex.rawQuery() + " port=" + ex.remoteAddress().getPort()
        + " body=" + new String(body, StandardCharsets.UTF_8);
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.responseHeader("Content-Type", "text/plain");
    try (OutputStream out = ex.respond(200, b.length)) {
      out.write(b);
    }
  };

  private int start(Handler h, Http1Server.Options o) throws IOException {
    server = Http1Server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), h, o);
    return server.port();
  }

  private int start(Handler h) throws IOException {
    return start(h, Http1Server.Options.defaults());
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
    s.setSoTimeout(30_000); // a hang fails the test rather than blocking it
    sockets.add(s);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** A parsed response. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new java.io.EOFException("connection closed; got '" + b + "'");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads one response; head = true for the response to a HEAD request (no body). */
  private static Response read(InputStream in, boolean head) throws IOException {
    String status = line(in);
    assertTrue(status.startsWith("HTTP/1.1 "), status);
    int code = Integer.parseInt(status.substring(9, 12));
    Map<String, String> h = new LinkedHashMap<>();
    for (String l = line(in); !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      h.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (head || code == 204 || code == 304 || code < 200) {
      // no body
    } else if (h.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(h.get("content-length"))));
    } else if ("chunked".equals(h.get("transfer-encoding"))) {
      for (int n = Integer.parseInt(line(in), 16); n > 0; n = Integer.parseInt(line(in), 16)) {
        body.write(in.readNBytes(n));
        assertEquals("", line(in));
      }
      assertEquals("", line(in));
    } else {
      body.write(in.readAllBytes());
    }
    return new Response(code, h, body.toString(StandardCharsets.UTF_8));
  }

  private static boolean closedByServer(Socket s) throws IOException {
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  @Test
  void servesSequentialRequestsOnOneKeptAliveConnection() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    String first = null;
    for (int i = 0; i < 3; i++) {
      send(s, "GET /a/" + i + "?x=" + i + " HTTP/1.1\r\nHost: h\r\n\r\n");
      Response r = read(s.getInputStream(), false);
      assertEquals(200, r.status());
      assertNull(r.header("Connection"));
      assertTrue(r.body().startsWith("GET /a/" + i + " x=" + i + " port=" + s.getLocalPort()), r.body());
      assertTrue(r.header("Date").endsWith(" GMT"), r.header("Date"));
      first = first == null ? r.body() : first;
    }
    assertEquals(1, server.openConnections());
  }

  @Test
  void keepsTheConnectionWhenTheHandlerClosesTheRequestBody() throws Exception {
    int port = start(ex -> {
      ex.requestBody().close(); // as try-with-resources does; the server still drains it afterwards
      ex.respond(204, 0).close();
    });
    Socket s = connect(port);
    send(s, "POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
    assertEquals(204, read(s.getInputStream(), false).status());
    send(s, "PUT /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
    assertEquals(204, read(s.getInputStream(), false).status());
    send(s, "GET /3 HTTP/1.1\r\nHost: h\r\n\r\n");
    Response third = read(s.getInputStream(), false);
    assertEquals(204, third.status());
    assertNull(third.header("Connection"));
  }

  @Test
  void keepsFramingHeadersToItselfAndHonoursAHandlersConnectionClose() throws Exception {
    int port = start(ex -> {
      ex.responseHeader("Content-Length", "999");
      ex.responseHeader("Transfer-Encoding", "gzip");
      ex.responseHeader("Connection", "close");
      try (OutputStream out = ex.respond(200, 2)) {
        out.write("ok".getBytes(StandardCharsets.US_ASCII));
      }
    });
    Socket s = connect(port);
    send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    Response r = read(s.getInputStream(), false);
    assertEquals("2", r.header("Content-Length"));
    assertNull(r.header("Transfer-Encoding"));
    assertEquals("close", r.header("Connection"));
    assertEquals("ok", r.body());
    assertTrue(closedByServer(s));
  }

  @Test
  void answersPipelinedRequestsInOrder() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    send(s, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /3"
        + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    InputStream in = s.getInputStream();
    assertTrue(read(in, false).body().startsWith("GET /1 null"));
    assertTrue(read(in, false).body().endsWith("body=hello"));
    Response third = read(in, false);
    assertTrue(third.body().startsWith("GET /3 null"));
    assertEquals("close", third.header("Connection"));
    assertTrue(closedByServer(s));
  }

  @Test
  void readsChunkedRequestBodyWithExtensionsAndTrailers() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    send(s, "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"
        + "GET /after HTTP/1.1\r\nHost: h\r\n\r\n");
    assertTrue(read(s.getInputStream(), false).body().endsWith("body=hello 0123456789"));
    assertTrue(read(s.getInputStream(), false).body().startsWith("GET /after"), "the connection survives the body");
  }

  @Test
  void rejectsMalformedChunkSizeWith400() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    send(s, "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
    Response r = read(s.getInputStream(), false);
    assertEquals(400, r.status());
    assertTrue(r.body().contains("chunk size"), r.body());
  }

  @Test
  void rejectsOversizeHeadersWith431() throws Exception {
    int port = start(ECHO, Http1Server.Options.defaults().withLimits(1024, 1 << 20));
    Socket s = connect(port);
    send(s, "GET /x HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n");
    Response r = read(s.getInputStream(), false);
    assertEquals(431, r.status());
    assertEquals("close", r.header("Connection"));
    assertTrue(r.body().contains("exceed 1024 bytes"), r.body());
    assertTrue(closedByServer(s));
  }

  @Test
  void rejectsOversizeRequestLineThatNeverEndsWith431() throws Exception {
    int port = start(ECHO, Http1Server.Options.defaults().withLimits(1024, 1 << 20));
    Socket s = connect(port);
    send(s, "GET /" + "a".repeat(5000)); // no line end: the limit, not a timeout, ends it
    assertEquals(431, read(s.getInputStream(), false).status());
  }

  @Test
  void rejectsBodyOverLimitByContentLengthWith413BeforeReadingIt() throws Exception {
    int port = start(ECHO, Http1Server.Options.defaults().withLimits(8192, 100));
    Socket s = connect(port);
    send(s, "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 101\r\n\r\n");
    Response r = read(s.getInputStream(), false);
    assertEquals(413, r.status());
    assertTrue(r.body().contains("101 bytes exceeds 100 bytes"), r.body());
  }

  @Test
  void rejectsChunkedBodyOverLimitWith413() throws Exception {
    int port = start(ECHO, Http1Server.Options.defaults().withLimits(8192, 100));
    Socket s = connect(port);
    send(s, "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + "x".repeat(100)
        + "\r\n1\r\ny\r\n0\r\n\r\n");
    assertEquals(413, read(s.getInputStream(), false).status());
  }

  @Test
  void headResponseAnnouncesLengthButSendsNoBody() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    send(s, "HEAD /h HTTP/1.1\r\nHost: h\r\n\r\nGET /g HTTP/1.1\r\nHost: h\r\n\r\n");
    Response head = read(s.getInputStream(), true);
    assertEquals(200, head.status());
    assertEquals(String.valueOf(("HEAD /h null port=" + s.getLocalPort() + " body=").length()),
        head.header("Content-Length"));
    // had the HEAD response carried a body, this would read it as the next status line
    assertTrue(read(s.getInputStream(), false).body().startsWith("GET /g"));
  }

  @Test
  void sendsContinueBeforeReadingAnAnnouncedBody() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    send(s, "POST /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    InputStream in = s.getInputStream();
    assertEquals("HTTP/1.1 100 Continue", line(in));
    assertEquals("", line(in));
    send(s, "data");
    Response r = read(in, false);
    assertEquals(200, r.status());
    assertTrue(r.body().endsWith("body=data"));
  }

  @Test
  void answersWithoutContinueWhenTheHandlerIgnoresTheBodyAndThenCloses() throws Exception {
    int port = start(ex -> ex.respond(204, 0).close());
    Socket s = connect(port);
    send(s, "PUT /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    Response r = read(s.getInputStream(), false);
    assertEquals(204, r.status());
    assertEquals("close", r.header("Connection"));
    assertNull(r.header("Content-Length"));
  }

  @Test
  void rejectsUnknownExpectationWith417() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    send(s, "GET /e HTTP/1.1\r\nHost: h\r\nExpect: something\r\n\r\n");
    assertEquals(417, read(s.getInputStream(), false).status());
  }

  @Test
  void answers408ToAClientThatStopsInTheMiddleOfTheHead() throws Exception {
    int port = start(ECHO, Http1Server.Options.defaults().withTimeouts(Duration.ofMillis(200), Duration.ofMinutes(1)));
    Socket s = connect(port);
    send(s, "GET /slow HTTP/1.1\r\nHost: h\r\n"); // and nothing more
    Response r = read(s.getInputStream(), false);
    assertEquals(408, r.status());
    assertTrue(closedByServer(s));
  }

  @Test
  void closesAKeptAliveConnectionAfterTheIdleTimeout() throws Exception {
    int port = start(ECHO, Http1Server.Options.defaults().withTimeouts(Duration.ofMinutes(1), Duration.ofMillis(200)));
    Socket s = connect(port);
    send(s, "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n");
    assertEquals(200, read(s.getInputStream(), false).status());
    assertTrue(closedByServer(s)); // without a timeout the client's 30 s read timeout would fail this
  }

  @Test
  void streamsABodyOfUnknownLengthChunkedOnHttp11AndToTheCloseOnHttp10() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    send(s, "GET /big HTTP/1.1\r\nHost: h\r\n\r\n");
    Response r = read(s.getInputStream(), false);
    assertEquals("chunked", r.header("Transfer-Encoding"));
    assertEquals(200_000 / 11 * 11, r.body().length());
    assertTrue(r.body().startsWith("0123456789\n0123"));

    Socket old = connect(port);
    send(old, "GET /big HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    Response r10 = read(old.getInputStream(), false);
    assertNull(r10.header("Transfer-Encoding"));
    assertEquals("close", r10.header("Connection"));
    assertEquals(r.body(), r10.body());
  }

  @Test
  void keepsHttp10ConnectionsOnlyWhenAsked() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    send(s, "GET /1 HTTP/1.0\r\n\r\n");
    assertEquals("close", read(s.getInputStream(), false).header("Connection"));
    assertTrue(closedByServer(s));

    Socket k = connect(port);
    send(k, "GET /1 HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
    assertEquals("keep-alive", read(k.getInputStream(), false).header("Connection"));
    send(k, "GET /2 HTTP/1.0\r\n\r\n");
    assertTrue(read(k.getInputStream(), false).body().startsWith("GET /2"));
  }

  @Test
  void rejectsMalformedRequestsWith400AndNewerVersionsWith505() throws Exception {
    int port = start(ECHO);
    for (String bad : new String[] {"GARBAGE\r\n\r\n", "GET /x\r\n\r\n", "GET /x HTTP/1.1\r\nNo colon here\r\n\r\n",
        "GET /x HTTP/1.1\r\nBad Name: v\r\n\r\n", "GET /%zz HTTP/1.1\r\n\r\n",
        "POST /x HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "GET x HTTP/1.1\r\n\r\n"}) {
      Socket s = connect(port);
      send(s, bad);
      assertEquals(400, read(s.getInputStream(), false).status(), bad);
    }
    Socket s = connect(port);
    send(s, "GET /x HTTP/2.0\r\n\r\n");
    assertEquals(505, read(s.getInputStream(), false).status());
  }

  @Test
  void acceptsAbsoluteFormTargetsAndDecodesThePath() throws Exception {
    int port = start(ECHO);
    Socket s = connect(port);
    send(s, "GET http://example.com:9090/a%20b/%C3%A9?q=%20 HTTP/1.1\r\nHost: h\r\n\r\n");
    assertTrue(read(s.getInputStream(), false).body().startsWith("GET /a b/\u00e9 q=%20 "));
  }

  @Test
  void answers500WhenTheHandlerFailsBeforeResponding() throws Exception {
    int port = start(ex -> {
      throw new IllegalStateException("boom");
    });
    Socket s = connect(port);
    send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    Response r = read(s.getInputStream(), false);
    assertEquals(500, r.status());
    assertTrue(r.body().contains("boom"), r.body());
  }

  @Test
  void rejectsResponseHeadersWithLineBreaksAndASecondResponse() throws Exception {
    CompletableFuture<Throwable> injection = new CompletableFuture<>();
    CompletableFuture<Throwable> twice = new CompletableFuture<>();
    int port = start(ex -> {
      injection.complete(catching(() -> ex.responseHeader("X", "a\r\nSet-Cookie: evil")));
      ex.respond(204, 0).close();
      twice.complete(catching(() -> ex.respond(200, 0)));
    });
    Socket s = connect(port);
    send(s, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assertEquals(204, read(s.getInputStream(), false).status());
    assertTrue(injection.get(30, TimeUnit.SECONDS) instanceof IllegalArgumentException);
    assertTrue(twice.get(30, TimeUnit.SECONDS) instanceof IllegalStateException);
  }

  private interface Action {
    void run() throws Exception;
  }

  private static Throwable catching(Action a) {
    try {
      a.run();
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  @Test
  void closeLetsARequestInFlightFinishAndClosesIdleConnections() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    int port = start(ex -> {
      if (ex.rawPath().equals("/slow")) {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ECHO.handle(ex);
    }, Http1Server.Options.defaults().withTimeouts(Duration.ofMinutes(1), Duration.ofMinutes(1))
        .withShutdownGrace(Duration.ofSeconds(30)));
    Socket idle = connect(port);
    send(idle, "GET /first HTTP/1.1\r\nHost: h\r\n\r\n");
    assertEquals(200, read(idle.getInputStream(), false).status());
    Socket busy = connect(port);
    send(busy, "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n");
    assertTrue(entered.await(30, TimeUnit.SECONDS));

    Thread closer = new Thread(server::close);
    closer.start();
    while (!server.isClosing()) {
      Thread.onSpinWait();
    }
    assertTrue(closedByServer(idle), "an idle kept-alive connection is closed at once");
    release.countDown();
    Response r = read(busy.getInputStream(), false);
    assertEquals(200, r.status());
    assertEquals("close", r.header("Connection"));
    assertTrue(r.body().startsWith("GET /slow"));
    closer.join(30_000);
    assertFalse(closer.isAlive());
    assertThrows(IOException.class, () -> {
      try (Socket late = new Socket(InetAddress.getLoopbackAddress(), port)) {
        late.setSoTimeout(30_000);
        send(late, "GET / HTTP/1.1\r\n\r\n");
        read(late.getInputStream(), false);
      }
    });
  }

  @Test
  void closeEndsAHandlerThatOutlivesTheGracePeriod() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    int port = start(ex -> {
      entered.countDown();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, Http1Server.Options.defaults().withShutdownGrace(Duration.ofMillis(100)));
    Socket s = connect(port);
    send(s, "GET /stuck HTTP/1.1\r\nHost: h\r\n\r\n");
    assertTrue(entered.await(30, TimeUnit.SECONDS));
    server.close(); // returns although the handler never does
    assertTrue(closedByServer(s));
    never.countDown();
  }

  @Test
  void boundsConnectionsServedAtOnce() throws Exception {
    Semaphore entered = new Semaphore(0);
    CountDownLatch release = new CountDownLatch(1);
    int port = start(ex -> {
      entered.release();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ECHO.handle(ex);
    }, Http1Server.Options.defaults().withMaxConnections(2));
    List<Socket> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Socket s = connect(port);
      send(s, "GET /" + i + " HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
      clients.add(s);
    }
    assertTrue(entered.tryAcquire(2, 30, TimeUnit.SECONDS));
    assertTrue(server.threads() <= 2, "threads: " + server.threads());
    assertTrue(server.openConnections() <= 2);
    release.countDown();
    for (int i = 0; i < 5; i++) {
      assertTrue(read(clients.get(i).getInputStream(), false).body().startsWith("GET /" + i));
    }
  }
}
