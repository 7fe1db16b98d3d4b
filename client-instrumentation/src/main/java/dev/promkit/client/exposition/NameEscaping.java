package dev.promkit.client.exposition;

/**
 * How metric and label names outside the legacy character set ({@code [a-zA-Z_:][a-zA-Z0-9_:]*})
 * are written. A scraper states what it accepts with the {@code escaping=} parameter of its Accept
 * header; Prometheus 2.x sends none and gets {@link #UNDERSCORES}, so it can scrape every target.
 */
public enum NameEscaping {
  /** Names written as they are; non-legacy names are quoted ({@code {"my.metric",a="b"} 1}). */
  ALLOW_UTF8("allow-utf-8"),
  /** Every character invalid in a legacy name becomes {@code _} (a leading digit too). */
  UNDERSCORES("underscores");

  private final String headerValue;

  NameEscaping(String headerValue) {
    this.headerValue = headerValue;
  }

  /** The value of the {@code escaping=} Accept/Content-Type parameter. */
  public String headerValue() {
    return headerValue;
  }

  /** True when the name is a valid legacy metric name. */
  public static boolean isLegacyMetricName(String name) {
    int n = name.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!legacyChar(name.charAt(i), i, true)) {
        return false;
      }
    }
    return true;
  }

  /** True when the name is a valid legacy label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}). */
  public static boolean isLegacyLabelName(String name) {
    int n = name.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!legacyChar(name.charAt(i), i, false)) {
        return false;
      }
    }
    return true;
  }

  static boolean legacyChar(int c, int index, boolean colonAllowed) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
        || (colonAllowed && c == ':') || (index > 0 && c >= '0' && c <= '9');
  }

  /** The name escaped per {@link #UNDERSCORES} (unchanged when already legacy-valid). */
  public static String underscores(String name, boolean metricName) {
    StringBuilder sb = null;
    int i = 0;
    for (int off = 0; off < name.length(); i++) {
      int cp = name.codePointAt(off);
      int len = Character.charCount(cp);
      if (!legacyChar(cp, i, metricName)) {
        if (sb == null) {
          sb = new StringBuilder(name.length()).append(name, 0, off);
        }
        sb.append('_');
      } else if (sb != null) {
        sb.append((char) cp);
      }
      off += len;
    }
    return sb == null ? name : sb.toString();
  }
}
