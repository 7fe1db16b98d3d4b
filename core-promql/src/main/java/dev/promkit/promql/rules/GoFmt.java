package dev.promkit.promql.rules;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/** The parts of Go's fmt that templates reach: %g/%v for floats, printf verbs, %q quoting. */
final class GoFmt {
  private GoFmt() {}

  /** Go's strconv.FormatFloat(v, 'g', prec, 64); prec -1 for the shortest representation. */
  static String g(double v, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    if (prec < 0) {
      return dev.promkit.promql.format.GoFloat.formatG(v); // JDK 17 Double.toString is not shortest
    }
    BigDecimal d = new BigDecimal(Math.abs(v)).round(new MathContext(prec == 0 ? 1 : prec, RoundingMode.HALF_EVEN));
    if (prec == 0) {
      prec = 1;
    }
    d = d.stripTrailingZeros();
    String digits = d.unscaledValue().toString();
    int nd = digits.length();
    int dp = nd - d.scale(); // decimal point position relative to the digits
    int eprec = prec;
    if (eprec > nd && nd >= dp) {
      eprec = nd;
    }
    int exp = dp - 1;
    StringBuilder b = new StringBuilder();
    if (v < 0) {
      b.append('-');
    }
    if (exp < -4 || exp >= eprec) {
      b.append(digits.charAt(0));
      if (nd > 1) {
        b.append('.').append(digits, 1, nd);
      }
      b.append('e').append(exp < 0 ? '-' : '+');
      int ae = Math.abs(exp);
      if (ae < 10) {
        b.append('0');
      }
      b.append(ae);
      return b.toString();
    }
    if (dp <= 0) {
      b.append("0.");
      for (int k = 0; k < -dp; k++) {
        b.append('0');
      }
      b.append(digits);
    } else if (dp >= nd) {
      b.append(digits);
      for (int k = nd; k < dp; k++) {
        b.append('0');
      }
    } else {
      b.append(digits, 0, dp).append('.').append(digits, dp, nd);
    }
    return b.toString();
  }

  /** Go's strconv.FormatFloat(v, 'E', -1, 64): shortest digits in exponent form ({@code 2E+00}). */
  static String shortestE(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0 ? "-" : "") + "0E+00";
    }
    String digits = dev.promkit.promql.format.GoFloat.shortestDigits(Math.abs(v));
    int exp = dev.promkit.promql.format.GoFloat.decimalPoint(Math.abs(v)) - 1;
    StringBuilder b = new StringBuilder(v < 0 ? "-" : "").append(digits.charAt(0));
    if (digits.length() > 1) {
      b.append('.').append(digits, 1, digits.length());
    }
    b.append('E').append(exp < 0 ? '-' : '+');
    if (Math.abs(exp) < 10) {
      b.append('0');
    }
    return b.append(Math.abs(exp)).toString();
  }

  /** Go's %.Nf. */
  static String f(double v, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return new BigDecimal(v).setScale(prec, RoundingMode.HALF_EVEN).toPlainString();
  }

  /** Go's %e with precision. */
  static String e(double v, int prec) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return v == 0 ? "0." + "0".repeat(prec) + "e+00" : f(v, 0);
    }
    BigDecimal d = new BigDecimal(Math.abs(v)).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN));
    String digits = d.unscaledValue().toString();
    while (digits.length() < prec + 1) {
      digits = digits + "0";
    }
    digits = digits.substring(0, prec + 1);
    int exp = d.precision() - d.scale() - 1;
    StringBuilder b = new StringBuilder(v < 0 ? "-" : "");
    b.append(digits.charAt(0));
    if (prec > 0) {
      b.append('.').append(digits, 1, prec + 1);
    }
    b.append('e').append(exp < 0 ? '-' : '+');
    if (Math.abs(exp) < 10) {
      b.append('0');
    }
    return b.append(Math.abs(exp)).toString();
  }

  /** Go's strconv.Quote. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\t': b.append("\\t"); break;
        case '\r': b.append("\\r"); break;
        default:
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }

  /** Go's fmt.Sprintf for the verbs templates use: %s %d %f %g %e %v %q %x %t %%, flags, width, precision. */
  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int argi = 0;
    for (int k = 0; k < format.length(); k++) {
      char c = format.charAt(k);
      if (c != '%') {
        out.append(c);
        continue;
      }
      k++;
      if (k >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      while (k < format.length() && "-+ 0#".indexOf(format.charAt(k)) >= 0) {
        char fl = format.charAt(k++);
        minus |= fl == '-';
        plus |= fl == '+';
        zero |= fl == '0';
      }
      int width = -1;
      int st = k;
      while (k < format.length() && Character.isDigit(format.charAt(k))) {
        k++;
      }
      if (k > st) {
        width = Integer.parseInt(format.substring(st, k));
      }
      int prec = -1;
      if (k < format.length() && format.charAt(k) == '.') {
        k++;
        st = k;
        while (k < format.length() && Character.isDigit(format.charAt(k))) {
          k++;
        }
        prec = k > st ? Integer.parseInt(format.substring(st, k)) : 0;
      }
      if (k >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(k);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argi >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object a = args.get(argi++);
      String s = verb(verb, a, prec, plus);
      if (width > s.length()) {
        String pad = (zero && !minus && !(a instanceof String) ? "0" : " ").repeat(width - s.length());
        if (minus) {
          s = s + pad;
        } else if (pad.startsWith("0") && (s.startsWith("-") || s.startsWith("+"))) {
          s = s.charAt(0) + pad + s.substring(1);
        } else {
          s = pad + s;
        }
      }
      out.append(s);
    }
    if (argi < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argi; k < args.size(); k++) {
        if (k > argi) {
          out.append(", ");
        }
        Object a = args.get(k);
        out.append(TemplateFunctions.goType(a)).append('=').append(TemplateFunctions.print(a));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String verb(char verb, Object a, int prec, boolean plus) {
    String sign = "";
    switch (verb) {
      case 'v':
        if (a instanceof Double && prec >= 0) {
          return g((Double) a, prec);
        }
        return TemplateFunctions.print(a);
      case 's':
        if (a instanceof String) {
          String s = (String) a;
          return prec >= 0 && prec < s.length() ? s.substring(0, prec) : s;
        }
        return a instanceof Double || a instanceof Long || a instanceof Boolean
            ? bad(verb, a) : TemplateFunctions.print(a);
      case 'q':
        return a instanceof String ? quote((String) a) : bad(verb, a);
      case 'd':
        if (a instanceof Long) {
          sign = plus && (Long) a >= 0 ? "+" : "";
          return sign + a;
        }
        return bad(verb, a);
      case 'x':
        if (a instanceof Long) {
          return Long.toHexString((Long) a);
        }
        if (a instanceof String) {
          StringBuilder b = new StringBuilder();
          for (byte x : ((String) a).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            b.append(String.format("%02x", x & 0xff));
          }
          return b.toString();
        }
        return bad(verb, a);
      case 't':
        return a instanceof Boolean ? a.toString() : bad(verb, a);
      case 'f':
      case 'F':
      case 'g':
      case 'e': {
        double d;
        if (a instanceof Double) {
          d = (Double) a;
        } else {
          return bad(verb, a);
        }
        String s = verb == 'g' ? g(d, prec) : verb == 'e' ? e(d, prec < 0 ? 6 : prec) : f(d, prec < 0 ? 6 : prec);
        return plus && !s.startsWith("-") && !s.startsWith("+") ? "+" + s : s;
      }
      default:
        return bad(verb, a);
    }
  }

  private static String bad(char verb, Object a) {
    return "%!" + verb + "(" + TemplateFunctions.goType(a) + "=" + TemplateFunctions.print(a) + ")";
  }
}
