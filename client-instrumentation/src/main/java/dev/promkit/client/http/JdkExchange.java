package dev.promkit.client.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** {@link ScrapeExchange} over the JDK's {@link HttpExchange}. */
final class JdkExchange implements ScrapeExchange {
  private final HttpExchange exchange;

  JdkExchange(HttpExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public String requestHeader(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  @Override
  public String rawQuery() {
    return exchange.getRequestURI().getRawQuery();
  }

  @Override
  public OutputStream respond(int status, Map<String, String> headers) throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : 0); // 0: chunked, length unknown
    return head ? OutputStream.nullOutputStream() : exchange.getResponseBody(); // HEAD: headers only
  }
}
