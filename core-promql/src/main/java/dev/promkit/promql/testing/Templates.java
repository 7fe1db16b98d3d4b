package dev.promkit.promql.testing;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small subset of Prometheus' Go alert templates the harness expands: {@code {{ $labels.x }}},
 * {@code {{ .Labels.x }}}, {@code {{ $value }}}, {@code {{ .Value }}} (formatted as Go's {@code %v}),
 * and {@code {{ $value | humanize }}} / {@code {{ $value | humanizePercentage }}}. Anything else fails naming the template; the rules
 * engine, when it exists, replaces this with full Go template support.
 */
final class Templates {
  private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
  private static final Pattern LABEL = Pattern.compile("(?:\\$labels|\\.Labels)\\.([a-zA-Z_][a-zA-Z0-9_]*)");
  private static final Pattern VALUE =
      Pattern.compile("(?:\\$value|\\.Value)(?:\\s*\\|\\s*(humanizePercentage|humanize))?");

  private Templates() {}

  /**
   * Expands a template.
   *
   * @throws IllegalArgumentException for an action outside the supported subset
   */
  static String expand(String template, Map<String, String> labels, double value, String where) {
    Matcher m = ACTION.matcher(template);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(template, last, m.start());
      String action = m.group(1);
      Matcher lm = LABEL.matcher(action);
      Matcher vm = VALUE.matcher(action);
      if (lm.matches()) {
        out.append(labels.getOrDefault(lm.group(1), "")); // Prometheus expands with missingkey=zero
      } else if (vm.matches()) {
        String f = vm.group(1);
        out.append(f == null ? goFloat(value) : f.equals("humanize") ? humanize(value) : goG(value * 100, 4) + "%");
      } else {
        throw new IllegalArgumentException(where + ": unsupported template action {{ " + action
            + " }} (the test harness expands only $labels.<name>, .Labels.<name>, $value, .Value"
            + ", $value | humanize and $value | humanizePercentage)");
      }
      last = m.end();
    }
    return out.append(template.substring(last)).toString();
  }

  /** Go's {@code %v} of a float64: shortest digits, exponent form when the exponent is < -4 or >= 6 (so 1e6 prints as 1e+06). */
  static String goFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v) < 0 ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    String sign = v < 0 ? "-" : "";
    if (exp < -4 || exp >= 6) {
      String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String e = Integer.toString(Math.abs(exp));
      return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }
    return sign + d.abs().toPlainString();
  }

  /** Prometheus' {@code humanize}: 4 significant digits with an SI prefix (k, M, ... or m, u, ...). */
  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return goG(v, 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : new String[] {"k", "M", "G", "T", "P", "E", "Z", "Y"}) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
    } else {
      for (String p : new String[] {"m", "u", "n", "p", "f", "a", "z", "y"}) {
        if (Math.abs(v) >= 1) {
          break;
        }
        prefix = p;
        v *= 1000;
      }
    }
    return goG(v, 4) + prefix;
  }

  /** Go's {@code %.<prec>g}: prec significant digits, no trailing zeros, exponent form when exp < -4 or >= prec. */
  static String goG(double v, int prec) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return goFloat(v);
    }
    BigDecimal d = new BigDecimal(v).round(new java.math.MathContext(prec, java.math.RoundingMode.HALF_EVEN))
        .stripTrailingZeros();
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    int eprec = digits.length() < prec && digits.length() >= exp + 1 ? digits.length() : prec;
    String sign = v < 0 ? "-" : "";
    if (exp < -4 || exp >= eprec) {
      String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String e = Integer.toString(Math.abs(exp));
      return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }
    return sign + d.abs().toPlainString();
  }
}
