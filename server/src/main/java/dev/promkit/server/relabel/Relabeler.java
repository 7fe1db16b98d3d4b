package dev.promkit.server.relabel;

import dev.promkit.server.config.RelabelConfig;
import dev.promkit.tsdb.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import dev.promkit.tsdb.regex.Re2Pattern;

/**
 * Applies a list of relabel rules to label sets, with Prometheus' semantics: regexes are RE2 (Go's
 * syntax, through {@link Re2Pattern}), fully anchored as Prometheus 2.42 compiles them
 * ({@code ^(?:regex)$}: {@code .} does not match a newline unless the regex sets {@code (?s)}),
 * replacements expand as Go's {@code Regexp.Expand} does ({@code $1x} names a group "1x", hence
 * empty; write {@code ${1}x}), an empty replacement result deletes the target label, and hashmod
 * uses the low 64 bits of the MD5 sum. Immutable and thread-safe.
 */
public final class Relabeler {
  private static final Relabeler NONE = new Relabeler(List.of());

  private final Rule[] rules;

  private static final class Rule {
    final RelabelConfig c;
    final Re2Pattern regex;

    Rule(RelabelConfig c) {
      this.c = c;
      this.regex = compile(c.regex());
    }
  }

  private Relabeler(List<RelabelConfig> configs) {
    rules = new Rule[configs.size()];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = new Rule(configs.get(i));
    }
  }

  /**
   * A relabel rule's regex as Prometheus 2.42 compiles it, {@code ^(?:regex)$}: Re2Pattern anchors
   * the whole value itself and turns RE2's {@code s} flag on, which relabelling does not.
   *
   * @throws dev.promkit.tsdb.regex.Re2SyntaxException with Go's message when RE2 rejects it
   */
  static Re2Pattern compile(String regex) {
    checkRegex(regex);
    return Re2Pattern.compile("(?-s:" + regex + ")");
  }

  /**
   * Checks a relabel regex as Prometheus does when it loads a config: the message of the exception
   * is Go's, for the anchored form, such as {@code error parsing regexp: missing closing ):
   * `^(?:(abc)$`}.
   *
   * @throws dev.promkit.tsdb.regex.Re2SyntaxException when RE2 rejects the regex
   */
  static void checkRegex(String regex) {
    Re2Pattern.compile("^(?:" + regex + ")$");
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
        return !r.regex.matches(val);
      case KEEP:
        return r.regex.matches(val);
      case DROPEQUAL:
        return !b.get(c.targetLabel()).equals(val);
      case KEEPEQUAL:
        return b.get(c.targetLabel()).equals(val);
      case REPLACE: {
        String target = r.regex.expandFullMatch(val, c.targetLabel());
        if (target == null || !validLabelName(target)) {
          return true; // no match, or not a label name
        }
        String res = r.regex.expandFullMatch(val, c.replacement());
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
          String name = r.regex.expandFullMatch(cur.name(i), c.replacement());
          if (name != null) {
            b.set(name, cur.value(i));
          }
        }
        return true;
      }
      case LABELDROP:
      case LABELKEEP: {
        Labels cur = b.build();
        boolean keep = c.action() == RelabelConfig.Action.LABELKEEP;
        for (int i = 0; i < cur.size(); i++) {
          if (r.regex.matches(cur.name(i)) != keep) {
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
