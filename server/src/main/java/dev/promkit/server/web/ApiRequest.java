package dev.promkit.server.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the API sees it: method, path and the form (query string and, for POST
 * and PUT {@code application/x-www-form-urlencoded}, the body), as Go's {@code r.Form}.
 *
 * @param method GET, POST, ...
 * @param path the path without query string
 * @param form parameters, each with all its values in order
 */
public record ApiRequest(String method, String path, Map<String, List<String>> form) {
  /** A request from raw parts. */
  public static ApiRequest of(String method, String path, String query, String contentType, String body) {
    Map<String, List<String>> form = new LinkedHashMap<>();
    if (body != null && ("POST".equals(method) || "PUT".equals(method)) && contentType != null
        && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      parse(body, form); // Go's ParseForm puts body values before query values
    }
    if (query != null) {
      parse(query, form);
    }
    return new ApiRequest(method, path, form);
  }

  private static void parse(String s, Map<String, List<String>> out) {
    if (s.isEmpty()) {
      return;
    }
    for (String kv : s.split("&")) {
      if (kv.isEmpty()) {
        continue;
      }
      int eq = kv.indexOf('=');
      String k = eq < 0 ? kv : kv.substring(0, eq);
      String v = eq < 0 ? "" : kv.substring(eq + 1);
      try {
        out.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
            .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // malformed escape: Go skips the pair too
      }
    }
  }

  /** The first value, or "" as Go's FormValue. */
  public String param(String name) {
    List<String> v = form.get(name);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  /** All values. */
  public List<String> params(String name) {
    return form.getOrDefault(name, List.of());
  }
}
