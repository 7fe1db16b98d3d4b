package dev.promkit.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

class KeepAliveTimingTest {
  @Test
  void fastestScrapeMeasuresTheSlowestPossibleAnswerAndTheCheckRejectsIt() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        Thread.sleep(45); // every answer as late as a delayed-ACK stall
        ex.sendResponseHeaders(200, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      assertTrue(KeepAliveTiming.fastestKeepAliveGetNanos(uri, 3) >= 45_000_000L);
      String old = System.setProperty("sun.net.httpserver.nodelay", "true");
      try {
        assertThrows(AssertionError.class, () -> KeepAliveTiming.assertScrapesDoNotWaitForDelayedAcks(uri));
      } finally {
        if (old == null) {
          System.clearProperty("sun.net.httpserver.nodelay");
        } else {
          System.setProperty("sun.net.httpserver.nodelay", old);
        }
      }
    } finally {
      server.stop(0);
    }
  }
}
