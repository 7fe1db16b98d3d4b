package dev.promkit.pushgateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Builds {@code /metrics/job/<job>{/<label>/<value>}}: values containing {@code /} (and the
 * empty value, and {@code .} or {@code ..}, which HTTP path cleaning would swallow) are sent as
 * {@code <label>@base64/<url-safe base64>}, every other value percent-encoded as a path segment.
 */
final class GroupingKeyPath {
  private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GroupingKeyPath() {}

  static String of(String job, Map<String, String> groupingKey) {
    StringBuilder sb = new StringBuilder("/metrics");
    segment(sb, "job", job);
    for (Map.Entry<String, String> e : groupingKey.entrySet()) {
      segment(sb, e.getKey(), e.getValue());
    }
    return sb.toString();
  }

  private static void segment(StringBuilder sb, String name, String value) {
    sb.append('/').append(name);
    if (value.isEmpty()) {
      // The Pushgateway reads a lone "=" after @base64 as the empty string (a path segment cannot be empty).
      sb.append("@base64/=");
    } else if (value.indexOf('/') >= 0 || value.equals(".") || value.equals("..")) {
      sb.append("@base64/").append(URL_SAFE.encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    } else {
      sb.append('/');
      percentEncode(sb, value);
    }
  }

  // RFC 3986 unreserved characters stay; every other UTF-8 byte becomes %XX.
  static void percentEncode(StringBuilder sb, String value) {
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
  }
}
