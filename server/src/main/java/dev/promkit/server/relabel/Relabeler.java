package dev.promkit.server.relabel;

import dev.promkit.server.config.RelabelConfig;
import dev.promkit.tsdb.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a list of relabel rules to label sets, with Prometheus' semantics: regexes are fully
 * anchored, replacements expand as Go's {@code Regexp.Expand} does ({@code $1x} names a group
 * "1x", hence empty; write {@code ${1}x}), an empty replacement result deletes the target label,
 * and hashmod uses the low 64 bits of the MD5 sum. Immutable and thread-safe.
 */
public final class Relabeler {
  private static final Relabeler NONE = new Relabeler(List.of());

  private final Rule[] rules;

  private static final class Rule {
    final RelabelConfig c;
    final Pattern regex;

    Rule(RelabelConfig c) {
      this.c = c;
      // (?s) as Go's RE2 with Prometheus' "s" flag: '.' matches newlines; matches() anchors both ends.
      this.regex = Pattern.compile("(?s:" + c.regex() + ")");
    }
  }

  private Relabeler(List<RelabelConfig> configs) {
    rules = new Rule[configs.size()];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = new Rule(configs.get(i));
    }
  }

  /** A relabeler for these rules, in order. */
  public static Relabeler of(List<RelabelConfig> configs) {
    return configs.isEmpty() ? NONE : new Relabeler(configs);
  }

  /** Whether there are no rules. */
  public boolean isEmpty() {
    return rules.length == 0;
  }

  /**
   * Applies the rules.
   *
   * @return the new label set, or null when a keep/drop rule dropped it
   */
  public Labels process(Labels in) {
    if (rules.length == 0) {
      return in;
    }
    Labels.Builder b = in.toBuilder();
    return process(b) ? b.build() : null;
  }

  /**
   * Applies the rules to a builder in place.
   *
   * @return false when the label set was dropped
   */
  public boolean process(Labels.Builder b) {
    for (Rule r : rules) {
      if (!apply(r, b)) {
        return false;
      }
    }
    return true;
  }

  private static boolean apply(Rule r, Labels.Builder b) {
    RelabelConfig c = r.c;
    String val = join(c, b);
    switch (c.action()) {
      case DROP:
        return !r.regex.matcher(val).matches();
      case KEEP:
        return r.regex.matcher(val).matches();
      case DROPEQUAL:
        return !b.get(c.targetLabel()).equals(val);
      case KEEPEQUAL:
        return b.get(c.targetLabel()).equals(val);
      case REPLACE: {
        Matcher m = r.regex.matcher(val);
        if (!m.matches()) {
          return true;
        }
        String target = expand(c.targetLabel(), m);
        if (!validLabelName(target)) {
          return true;
        }
        String res = expand(c.replacement(), m);
        if (res.isEmpty()) {
          b.remove(target);
        } else {
          b.set(target, res);
        }
        return true;
      }
      case LOWERCASE:
        b.set(c.targetLabel(), val.toLowerCase(Locale.ROOT));
        return true;
      case UPPERCASE:
        b.set(c.targetLabel(), val.toUpperCase(Locale.ROOT));
        return true;
      case HASHMOD:
        b.set(c.targetLabel(), Long.toUnsignedString(Long.remainderUnsigned(md5Low64(val), c.modulus())));
        return true;
      case LABELMAP: {
        Labels cur = b.build();
        for (int i = 0; i < cur.size(); i++) {
          Matcher m = r.regex.matcher(cur.name(i));
          if (m.matches()) {
            b.set(expand(c.replacement(), m), cur.value(i));
          }
        }
        return true;
      }
      case LABELDROP:
      case LABELKEEP: {
        Labels cur = b.build();
        boolean keep = c.action() == RelabelConfig.Action.LABELKEEP;
        for (int i = 0; i < cur.size(); i++) {
          if (r.regex.matcher(cur.name(i)).matches() != keep) {
            b.remove(cur.name(i));
          }
        }
        return true;
      }
      default:
        throw new IllegalStateException("relabel action " + c.action());
    }
  }

  private static String join(RelabelConfig c, Labels.Builder b) {
    List<String> src = c.sourceLabels();
    if (src.isEmpty()) {
      return "";
    }
    if (src.size() == 1) {
      return b.get(src.get(0));
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < src.size(); i++) {
      if (i > 0) {
        sb.append(c.separator());
      }
      sb.append(b.get(src.get(i)));
    }
    return sb.toString();
  }

  /** Go's {@code Regexp.Expand}: {@code $$}, {@code $name}, {@code ${name}}; unknown groups expand to "". */
  static String expand(String template, Matcher m) {
    if (template.indexOf('$') < 0) {
      return template;
    }
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char ch = template.charAt(i);
      if (ch != '$' || i + 1 >= n) {
        sb.append(ch);
        i++;
        continue;
      }
      char next = template.charAt(i + 1);
      if (next == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (next == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0 || close == i + 2 || !isName(template, i + 2, close)) {
          sb.append(ch); // malformed: Go keeps the '$' literally
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        end = close + 1;
      } else {
        int j = i + 1;
        while (j < n && isNameChar(template.charAt(j))) {
          j++;
        }
        if (j == i + 1) {
          sb.append(ch);
          i++;
          continue;
        }
        name = template.substring(i + 1, j);
        end = j;
      }
      sb.append(group(m, name));
      i = end;
    }
    return sb.toString();
  }

  private static boolean isName(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      if (!isNameChar(s.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameChar(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static String group(Matcher m, String name) {
    boolean numeric = true;
    for (int k = 0; k < name.length(); k++) {
      if (name.charAt(k) < '0' || name.charAt(k) > '9') {
        numeric = false;
        break;
      }
    }
    String g;
    if (numeric) {
      int idx;
      try {
        idx = Integer.parseInt(name);
      } catch (NumberFormatException e) {
        return "";
      }
      if (idx > m.groupCount()) {
        return "";
      }
      g = m.group(idx);
    } else {
      try {
        g = m.group(name);
      } catch (IllegalArgumentException e) {
        return "";
      }
    }
    return g == null ? "" : g;
  }

  /** Whether a name is a legacy Prometheus label name. */
  static boolean validLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The last 8 bytes of the MD5 sum, big-endian: Prometheus' {@code sum64(md5.Sum(...))}. */
  static long md5Low64(String s) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long v = 0;
    for (int i = 8; i < 16; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return v;
  }

  /** The rules' names, for diagnostics. */
  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (Rule r : rules) {
      names.add(r.c.action().yamlName());
    }
    return "Relabeler" + names;
  }
}
