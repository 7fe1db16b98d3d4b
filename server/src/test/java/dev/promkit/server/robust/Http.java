package dev.promkit.server.robust;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for one server's API, and polling helpers, shared by the robustness tests. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;

  Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET /api/v1/query?query=expr with the given extra parameters; the raw response. */
  HttpResponse<String> query(String expr, String extra) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + extra);
  }

  /** The {@code data.result} array of a successful instant query at the current time. */
  JsonArray result(String expr) throws IOException, InterruptedException {
    HttpResponse<String> r = query(expr, "");
    if (r.statusCode() != 200) {
      throw new AssertionError("query " + expr + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result");
  }

  /** The value of a single-element vector result, or NaN when the result is empty. */
  double scalar(String expr) throws IOException, InterruptedException {
    JsonArray a = result(expr);
    return a.isEmpty() ? Double.NaN
        : Double.parseDouble(a.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString());
  }

  /** The active target whose scrapeUrl contains {@code address}, or null. */
  JsonObject target(String address) throws IOException, InterruptedException {
    JsonObject d = JsonParser.parseString(get("/api/v1/targets").body()).getAsJsonObject().getAsJsonObject("data");
    for (var e : d.getAsJsonArray("activeTargets")) {
      JsonObject t = e.getAsJsonObject();
      if (t.get("scrapeUrl").getAsString().contains(address)) {
        return t;
      }
    }
    return null;
  }

  /** Polls until the condition holds; fails naming what was awaited. Returns the time waited, in ms. */
  static long await(long timeoutMillis, String what, Check check) throws Exception {
    long start = System.nanoTime();
    long deadline = start + timeoutMillis * 1_000_000L;
    while (true) {
      if (check.holds()) {
        return (System.nanoTime() - start) / 1_000_000L;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeoutMillis + " ms: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** A condition that may do I/O. */
  interface Check {
    boolean holds() throws Exception;
  }
}
