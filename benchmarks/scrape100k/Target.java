import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's scrape target: 100 counter families x 1000 label sets = 100,000 series in the
 * text format, values growing like real counters. The body is re-rendered once a second on a
 * background thread and served as a ready byte array, so that serving a scrape costs only the
 * write and both scrapers measure mostly their own work. Uncompressed (as a static file server).
 *
 * <p>Run with the JDK's source launcher: {@code java Target.java PORT [METRICS [SERIES_PER_METRIC]]};
 * it prints {@code listening on PORT} and serves {@code /metrics} until killed.
 */
public final class Target {
  private static volatile byte[] body = new byte[0];

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int metrics = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int perMetric = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    long[] counters = new long[metrics * perMetric];
    for (int i = 0; i < counters.length; i++) {
      counters[i] = (i * 7919L) % 100_000; // different starting points, as in a running process
    }
    body = render(counters, metrics, perMetric, 0);
    var renderer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "render");
      t.setDaemon(true);
      return t;
    });
    long[] round = {0};
    renderer.scheduleAtFixedRate(() -> body = render(counters, metrics, perMetric, ++round[0]), 1, 1, TimeUnit.SECONDS);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/metrics", ex -> {
      byte[] b = body;
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    });
    server.start();
    System.out.println("listening on " + server.getAddress().getPort() + ", " + body.length + " bytes per scrape");
  }

  /** Counters advance by a series-dependent step each round (some by 0: not every counter moves). */
  private static byte[] render(long[] counters, int metrics, int perMetric, long round) {
    StringBuilder sb = new StringBuilder(counters.length * 80);
    for (int m = 0; m < metrics; m++) {
      String name = String.format("bench_requests_%03d_total", m);
      sb.append("# HELP ").append(name).append(" Requests handled, family ").append(m).append(".\n");
      sb.append("# TYPE ").append(name).append(" counter\n");
      for (int s = 0; s < perMetric; s++) {
        int i = m * perMetric + s;
        counters[i] += (i + round) % 5;
        sb.append(name).append("{handler=\"/api/v1/h").append(s % 50).append("\",pod=\"pod-")
            .append(s / 50).append("\",code=\"").append(200 + (s % 3) * 100).append("\"} ")
            .append(counters[i]).append('\n');
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
