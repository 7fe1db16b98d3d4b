package dev.promkit.server.web;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;

/** JSON output in Prometheus' shapes: timestamps as seconds with millisecond fraction, values as Go floats. */
final class Json {
  private Json() {}

  /** A writer; {@link #render} then escapes as Go's encoding/json does. */
  static JsonWriter writer(StringWriter sw) {
    JsonWriter w = new JsonWriter(sw);
    w.setHtmlSafe(false);
    w.setSerializeNulls(true);
    return w;
  }

  /** Prometheus' {@code MarshalTimestamp}: whole seconds, then "." and exactly three digits when ms is not 0. */
  static String timestamp(long ms) {
    StringBuilder sb = new StringBuilder(20);
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    sb.append(ms / 1000);
    long frac = ms % 1000;
    if (frac != 0) {
      sb.append('.');
      if (frac < 100) {
        sb.append('0');
      }
      if (frac < 10) {
        sb.append('0');
      }
      sb.append(frac);
    }
    return sb.toString();
  }

  /**
   * Prometheus' {@code jsonutil.MarshalFloat}: the shortest digits that round-trip, as Go's
   * {@code 'e'} format when |v| &lt; 1e-6 or |v| &gt;= 1e21 ({@code 1e-07}, {@code 1e+21}), as {@code 'f'}
   * otherwise; NaN, +Inf, -Inf.
   */
  static String value(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v); // fast path: integral values print as integers in both forms
    }
    BigDecimal d = shortest(v).stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - d.scale() - 1; // decimal exponent of the first digit
    StringBuilder sb = new StringBuilder(24);
    if (v < 0) {
      sb.append('-');
    }
    double abs = Math.abs(v);
    if (abs < 1e-6 || abs >= 1e21) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int ae = Math.abs(exp);
      if (ae < 10) {
        sb.append('0');
      }
      sb.append(ae);
      return sb.toString();
    }
    return sb.append(d.abs().toPlainString()).toString();
  }

  /** The shortest decimal that parses back to v (JDK 17's Double.toString is not always shortest). */
  private static BigDecimal shortest(double v) {
    BigDecimal d = new BigDecimal(Double.toString(v));
    if (d.stripTrailingZeros().precision() <= 15) {
      return d;
    }
    BigDecimal exact = new BigDecimal(v);
    for (int p = 16; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p));
      if (r.doubleValue() == v) {
        return r;
      }
    }
    return d;
  }

  static void point(JsonWriter w, long t, double v) throws IOException {
    w.beginArray();
    w.jsonValue(timestamp(t));
    w.value(value(v));
    w.endArray();
  }

  static String render(Body body) {
    StringWriter sw = new StringWriter();
    try (JsonWriter w = writer(sw)) {
      body.write(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return goEscape(sw.toString());
  }

  /**
   * Go escapes &lt;, &gt; and &amp; (but not the apostrophe, which Gson's HTML-safe mode would); these
   * characters occur only inside strings in JSON, so replacing them everywhere is exact.
   */
  static String goEscape(String json) {
    if (json.indexOf('<') < 0 && json.indexOf('>') < 0 && json.indexOf('&') < 0) {
      return json;
    }
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  /** Writes a JSON document. */
  @FunctionalInterface
  interface Body {
    void write(JsonWriter w) throws IOException;
  }
}
