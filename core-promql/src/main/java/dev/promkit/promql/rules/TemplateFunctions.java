package dev.promkit.promql.rules;

import dev.promkit.tsdb.regex.Re2Pattern;
import dev.promkit.tsdb.regex.Re2SyntaxException;
import dev.promkit.tsdb.regex.RegexTooExpensiveException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The function table of alert templates, as Prometheus' template package defines it, over values
 * represented as String, Double, Long, Boolean, {@link LabelMap}, {@code Map<String,Object>}
 * ({@code {Labels, Value}} for query samples, the root data) and {@code List}.
 */
final class TemplateFunctions {
  static final Set<String> NAMES = Set.of("and", "or", "not", "len", "index", "print", "printf", "println", "html",
      "js", "urlquery", "eq", "ne", "lt", "le", "gt", "ge", "humanize", "humanize1024", "humanizeDuration",
      "humanizePercentage", "humanizeTimestamp", "title", "toUpper", "toLower", "reReplaceAll", "match", "label",
      "value", "first", "query", "strvalue", "sortByLabel", "safeHtml", "stripPort", "stripDomain", "args",
      "externalURL", "pathPrefix", "graphLink", "tableLink", "parseDuration", "toTime", "call", "slice");

  /** Runs an instant PromQL query at the evaluation time, returning samples as {Labels, Value} maps. */
  interface QueryFunc {
    List<Map<String, Object>> query(String q) throws Exception;
  }

  /** A function's own error (Go: the error result), wrapped by the executor with the position. */
  static final class CallError extends Exception {
    private static final long serialVersionUID = 1L;

    CallError(String m) {
      super(m);
    }
  }

  /** A label set as a template sees it: a map whose missing keys read as "". */
  static final class LabelMap extends TreeMap<String, String> {
    private static final long serialVersionUID = 1L;

    LabelMap(Map<String, String> m) {
      super(m);
    }
  }

  private final QueryFunc query;
  private final String externalUrl;

  TemplateFunctions(QueryFunc query, String externalUrl) {
    this.query = query;
    this.externalUrl = externalUrl == null ? "" : externalUrl;
  }

  /** A query sample as templates see it. */
  static Map<String, Object> sample(Map<String, String> labels, double value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Labels", new LabelMap(labels));
    m.put("Value", value);
    return m;
  }

  static boolean isStringMap(Map<?, ?> m) {
    return m instanceof LabelMap;
  }

  static String goType(Object v) {
    if (v == null) {
      return "<nil>";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Double) {
      return "float64";
    }
    if (v instanceof Long) {
      return "int";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof LabelMap) {
      return "map[string]string";
    }
    if (v instanceof Map) {
      return "template.sample";
    }
    return "template.queryResult";
  }

  /** Go's fmt.Sprint of a value. */
  static String print(Object v) {
    if (v == null) {
      return "<no value>";
    }
    if (v instanceof Double) {
      return GoFmt.g((Double) v, -1);
    }
    if (v instanceof LabelMap) {
      StringBuilder b = new StringBuilder("map[");
      boolean first = true;
      for (Map.Entry<String, String> e : ((LabelMap) v).entrySet()) {
        b.append(first ? "" : " ").append(e.getKey()).append(':').append(e.getValue());
        first = false;
      }
      return b.append(']').toString();
    }
    if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.containsKey("Labels") && m.containsKey("Value") && m.size() == 2) {
        return "{" + print(m.get("Labels")) + " " + print(m.get("Value")) + "}";
      }
      StringBuilder b = new StringBuilder("map[");
      boolean first = true;
      for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
        b.append(first ? "" : " ").append(e.getKey()).append(':').append(print(e.getValue()));
        first = false;
      }
      return b.append(']').toString();
    }
    if (v instanceof List) {
      StringBuilder b = new StringBuilder("[");
      boolean first = true;
      for (Object o : (List<?>) v) {
        b.append(first ? "" : " ").append(print(o));
        first = false;
      }
      return b.append(']').toString();
    }
    return v.toString();
  }

  /** Go template truth: false, 0, nil and empty values are false. */
  static boolean truth(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean) {
      return (Boolean) v;
    }
    if (v instanceof String) {
      return !((String) v).isEmpty();
    }
    if (v instanceof Double) {
      return (Double) v != 0;
    }
    if (v instanceof Long) {
      return (Long) v != 0;
    }
    if (v instanceof Map) {
      return !((Map<?, ?>) v).isEmpty();
    }
    if (v instanceof Collection) {
      return !((Collection<?>) v).isEmpty();
    }
    return true;
  }

  Object call(String fn, List<Object> a) throws CallError {
    switch (fn) {
      case "not":
        arity(fn, a, 1);
        return !truth(a.get(0));
      case "len":
        arity(fn, a, 1);
        return (long) length(a.get(0));
      case "index": {
        Object v = a.get(0);
        for (int k = 1; k < a.size(); k++) {
          v = index(v, a.get(k));
        }
        return v;
      }
      case "print": {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < a.size(); k++) {
          boolean str = a.get(k) instanceof String;
          if (k > 0 && !str && !(a.get(k - 1) instanceof String)) {
            b.append(' ');
          }
          b.append(print(a.get(k)));
        }
        return b.toString();
      }
      case "println": {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < a.size(); k++) {
          b.append(k > 0 ? " " : "").append(print(a.get(k)));
        }
        return b.append('\n').toString();
      }
      case "printf":
        if (a.isEmpty() || !(a.get(0) instanceof String)) {
          throw new CallError("wrong type for value; expected string; got " + (a.isEmpty() ? "nothing" : goType(a.get(0))));
        }
        return GoFmt.sprintf((String) a.get(0), a.subList(1, a.size()));
      case "html":
        return print(a.size() == 1 ? a.get(0) : a).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\"", "&#34;").replace("'", "&#39;");
      case "js":
        return print(a.get(0)).replace("\\", "\\\\").replace("'", "\\'").replace("\"", "\\\"");
      case "urlquery":
        return java.net.URLEncoder.encode(print(a.get(0)), java.nio.charset.StandardCharsets.UTF_8);
      case "eq": {
        if (a.size() < 2) {
          throw new CallError("missing argument for comparison");
        }
        for (int k = 1; k < a.size(); k++) {
          if (compare(a.get(0), a.get(k), true) == 0) {
            return true;
          }
        }
        return false;
      }
      case "ne":
        arity(fn, a, 2);
        return compare(a.get(0), a.get(1), true) != 0;
      case "lt":
        arity(fn, a, 2);
        return compare(a.get(0), a.get(1), false) < 0;
      case "le":
        arity(fn, a, 2);
        return compare(a.get(0), a.get(1), false) <= 0;
      case "gt":
        arity(fn, a, 2);
        return compare(a.get(0), a.get(1), false) > 0;
      case "ge":
        arity(fn, a, 2);
        return compare(a.get(0), a.get(1), false) >= 0;
      case "humanize":
        return humanize(toFloat(one(fn, a)));
      case "humanize1024":
        return humanize1024(toFloat(one(fn, a)));
      case "humanizeDuration":
        return humanizeDuration(toFloat(one(fn, a)));
      case "humanizePercentage":
        return GoFmt.g(toFloat(one(fn, a)) * 100, 4) + "%";
      case "humanizeTimestamp":
        return humanizeTimestamp(toFloat(one(fn, a)));
      case "title":
        return title(str(one(fn, a)));
      case "toUpper":
        return str(one(fn, a)).toUpperCase();
      case "toLower":
        return str(one(fn, a)).toLowerCase();
      case "reReplaceAll": {
        arity(fn, a, 3);
        Re2Pattern re = regex(str(a.get(0)));
        try {
          return re.replaceAll(str(a.get(2)), str(a.get(1)));
        } catch (RegexTooExpensiveException e) {
          throw new CallError(e.getMessage());
        }
      }
      case "match":
        arity(fn, a, 2);
        try {
          return regex(str(a.get(0))).find(str(a.get(1)));
        } catch (RegexTooExpensiveException e) {
          throw new CallError(e.getMessage());
        }
      case "label": {
        arity(fn, a, 2);
        Object s = a.get(1);
        if (!(s instanceof Map) || !(((Map<?, ?>) s).get("Labels") instanceof Map)) {
          return "";
        }
        Object v = ((Map<?, ?>) ((Map<?, ?>) s).get("Labels")).get(str(a.get(0)));
        return v == null ? "" : v;
      }
      case "value": {
        Object s = one(fn, a);
        return s instanceof Map ? ((Map<?, ?>) s).get("Value") : 0.0;
      }
      case "strvalue": {
        Object s = one(fn, a);
        if (!(s instanceof Map) || !(((Map<?, ?>) s).get("Labels") instanceof Map)) {
          return "";
        }
        Object v = ((Map<?, ?>) ((Map<?, ?>) s).get("Labels")).get("__value__");
        return v == null ? "" : v;
      }
      case "first": {
        Object v = one(fn, a);
        if (v instanceof List && !((List<?>) v).isEmpty()) {
          return ((List<?>) v).get(0);
        }
        throw new CallError("first() called on vector with no elements");
      }
      case "query": {
        try {
          return query.query(str(one(fn, a)));
        } catch (Exception e) {
          throw new CallError(e.getMessage());
        }
      }
      case "sortByLabel": {
        arity(fn, a, 2);
        String l = str(a.get(0));
        if (!(a.get(1) instanceof List)) {
          throw new CallError("sortByLabel expects a query result");
        }
        List<Object> sorted = new ArrayList<>((List<?>) a.get(1));
        sorted.sort(Comparator.comparing(s -> String.valueOf(((Map<?, ?>) ((Map<?, ?>) s).get("Labels")).get(l) == null
            ? "" : ((Map<?, ?>) ((Map<?, ?>) s).get("Labels")).get(l))));
        return sorted;
      }
      case "safeHtml":
        return str(one(fn, a));
      case "stripPort": {
        String h = str(one(fn, a));
        if (h.startsWith("[")) {
          int e = h.indexOf(']');
          return e < 0 ? h : h.substring(1, e);
        }
        int c = h.lastIndexOf(':');
        return c < 0 || h.indexOf(':') != c ? h : h.substring(0, c);
      }
      case "stripDomain": {
        String h = str(one(fn, a));
        String port = "";
        int c = h.lastIndexOf(':');
        if (c >= 0 && h.indexOf(':') == c) {
          port = h.substring(c);
          h = h.substring(0, c);
        }
        if (h.matches("[0-9.]+")) {
          return h + port;
        }
        int d = h.indexOf('.');
        return (d < 0 ? h : h.substring(0, d)) + port;
      }
      case "args": {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < a.size(); k++) {
          m.put("arg" + k, a.get(k));
        }
        return m;
      }
      case "externalURL":
        return externalUrl;
      case "pathPrefix":
        try {
          String p = URI.create(externalUrl).getPath();
          return p == null ? "" : p;
        } catch (IllegalArgumentException e) {
          return "";
        }
      case "graphLink":
      case "tableLink": {
        String q = java.net.URLEncoder.encode(str(one(fn, a)), java.nio.charset.StandardCharsets.UTF_8);
        return "/graph?g0.expr=" + q + "&g0.tab=" + (fn.equals("graphLink") ? "0" : "1");
      }
      case "parseDuration":
        try {
          return Durations.parse(str(one(fn, a))) / 1000.0;
        } catch (IllegalArgumentException e) {
          throw new CallError(e.getMessage());
        }
      case "toTime": {
        double v = toFloat(one(fn, a));
        return Instant.ofEpochMilli((long) (v * 1000)).toString();
      }
      default:
        throw new CallError("function \"" + fn + "\" is not supported by promkit templates");
    }
  }

  private static Object one(String fn, List<Object> a) throws CallError {
    arity(fn, a, 1);
    return a.get(0);
  }

  private static void arity(String fn, List<Object> a, int n) throws CallError {
    if (a.size() != n) {
      throw new CallError("wrong number of args for " + fn + ": want " + n + " got " + a.size());
    }
  }

  private static int length(Object v) throws CallError {
    if (v instanceof String) {
      return ((String) v).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    if (v instanceof Map) {
      return ((Map<?, ?>) v).size();
    }
    if (v instanceof List) {
      return ((List<?>) v).size();
    }
    throw new CallError("len of type " + goType(v));
  }

  private static Object index(Object v, Object k) throws CallError {
    if (v instanceof Map) {
      Object r = ((Map<?, ?>) v).get(str(k));
      return r == null && v instanceof LabelMap ? "" : r;
    }
    if (v instanceof List && k instanceof Long) {
      List<?> l = (List<?>) v;
      long i = (Long) k;
      if (i < 0 || i >= l.size()) {
        throw new CallError("index out of range: " + i);
      }
      return l.get((int) i);
    }
    throw new CallError("can't index item of type " + goType(v));
  }

  private static int compare(Object x, Object y, boolean equality) throws CallError {
    if (x instanceof Double && y instanceof Double) {
      double a = (Double) x;
      double b = (Double) y;
      return a < b ? -1 : a > b ? 1 : a == b ? 0 : 2; // NaN compares unequal to everything
    }
    if (x instanceof Long && y instanceof Long) {
      return Long.compare((Long) x, (Long) y);
    }
    if (x instanceof String && y instanceof String) {
      return Integer.signum(((String) x).compareTo((String) y));
    }
    if (equality && x instanceof Boolean && y instanceof Boolean) {
      return x.equals(y) ? 0 : 1;
    }
    if (equality && (x == null || y == null)) {
      return x == y ? 0 : 1;
    }
    throw new CallError("incompatible types for comparison");
  }

  static double toFloat(Object v) throws CallError {
    if (v instanceof Double) {
      return (Double) v;
    }
    if (v instanceof Long) {
      return (Long) v;
    }
    if (v instanceof String) {
      String s = ((String) v).trim();
      try {
        switch (s.toLowerCase()) {
          case "inf": case "+inf": case "infinity": case "+infinity":
            return Double.POSITIVE_INFINITY;
          case "-inf": case "-infinity":
            return Double.NEGATIVE_INFINITY;
          case "nan":
            return Double.NaN;
          default:
            if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?") || s.matches("[+-]?0[xX][0-9a-fA-F]+")) {
              return s.matches("[+-]?0[xX].*") ? Long.decode(s) : Double.parseDouble(s);
            }
        }
      } catch (NumberFormatException e) {
        // fall through
      }
      throw new CallError("strconv.ParseFloat: parsing " + GoFmt.quote((String) v) + ": invalid syntax");
    }
    throw new CallError("can't convert " + goType(v) + " to float");
  }

  private static String str(Object v) throws CallError {
    if (v instanceof String) {
      return (String) v;
    }
    throw new CallError("wrong type for value; expected string; got " + goType(v));
  }

  private static final String[] BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFmt.g(v, 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : BIG) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
      return GoFmt.g(v, 4) + prefix;
    }
    for (String p : SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFmt.g(v, 4) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFmt.g(v, 4);
    }
    String prefix = "";
    for (String p : new String[] {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return GoFmt.g(v, 4) + prefix;
  }

  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFmt.g(v, 4);
    }
    if (v == 0) {
      return GoFmt.g(v, 4) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = "";
      if (v < 0) {
        sign = "-";
        v = -v;
      }
      long d = (long) v;
      long seconds = d % 60;
      long minutes = (d / 60) % 60;
      long hours = (d / 3600) % 24;
      long days = d / 86400;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + GoFmt.g(v, 4) + "s";
    }
    String prefix = "";
    for (String p : SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFmt.g(v, 4) + prefix + "s";
  }

  private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  static String humanizeTimestamp(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFmt.g(v, 4);
    }
    long sec = (long) Math.floor(v);
    long nanos = Math.round((v - sec) * 1e9);
    Instant t = Instant.ofEpochSecond(sec, nanos);
    String frac = "";
    if (t.getNano() != 0) {
      frac = String.format(".%09d", t.getNano()).replaceAll("0+$", "");
    }
    return GO_TIME.format(t.atOffset(ZoneOffset.UTC)) + frac + " +0000 UTC";
  }

  private static String title(String s) {
    StringBuilder b = new StringBuilder(s.length());
    boolean prevLetter = false;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      b.append(prevLetter ? c : Character.toTitleCase(c));
      prevLetter = Character.isLetterOrDigit(c) || c == '_' || c == '\'';
    }
    return b.toString();
  }

  /** Go's regexp, RE2 syntax (used unanchored here); Go's error text. */
  private static Re2Pattern regex(String re) throws CallError {
    try {
      return Re2Pattern.compile(re);
    } catch (Re2SyntaxException e) {
      throw new CallError(e.getMessage());
    }
  }

}
