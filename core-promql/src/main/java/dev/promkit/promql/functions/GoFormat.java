package dev.promkit.promql.functions;

import dev.promkit.promql.format.GoFloat;

/** Go's number and string formatting where PromQL messages and labels show it. */
final class GoFormat {
  private GoFormat() {}

  /** Go's {@code %g} / {@code strconv.FormatFloat(f, 'g', -1, 64)}: shortest digits, exponent form below 1e-4 or from 1e6. */
  static String g(double f) {
    return GoFloat.formatG(f); // shortest round-trip digits on every JDK (JDK 17's Double.toString is not)
  }

  static String openMetricsFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    String s = g(f);
    if (s.indexOf('e') >= 0 || s.indexOf('.') >= 0) {
      return s;
    }
    return s + ".0";
  }

  /** Go's {@code %q} for ordinary strings: double quotes, with backslash escapes. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\t': sb.append("\\t"); break;
        case '\r': sb.append("\\r"); break;
        default:
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"').toString();
  }
}
