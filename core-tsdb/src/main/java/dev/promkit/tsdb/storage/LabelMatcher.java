package dev.promkit.tsdb.storage;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.regex.Re2Pattern;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A label matcher with Prometheus' semantics: regexes are RE2 syntax, fully anchored, with
 * {@code .} matching newlines (see {@link Re2Pattern}), and a matcher on an absent label sees the
 * empty string.
 */
public final class LabelMatcher {
  /** Matcher kinds, with their PromQL spelling. */
  public enum Type {
    /** {@code =} */
    EQ("="),
    /** {@code !=} */
    NEQ("!="),
    /** {@code =~} */
    RE("=~"),
    /** {@code !~} */
    NRE("!~");

    private final String op;

    Type(String op) {
      this.op = op;
    }

    /** The operator as written in PromQL. */
    public String op() {
      return op;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final Re2Pattern regex; // null for EQ/NEQ

  private LabelMatcher(Type type, String name, String value) {
    this.type = Objects.requireNonNull(type);
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    this.regex = type == Type.RE || type == Type.NRE ? Re2Pattern.compile(value) : null;
  }

  /**
   * A matcher.
   *
   * @throws dev.promkit.tsdb.regex.Re2SyntaxException (a {@link java.util.regex.PatternSyntaxException})
   *     for a regex RE2 rejects, with Go's message
   */
  public static LabelMatcher of(Type type, String name, String value) {
    return new LabelMatcher(type, name, value);
  }

  /** {@code name="value"}. */
  public static LabelMatcher eq(String name, String value) {
    return new LabelMatcher(Type.EQ, name, value);
  }

  /** {@code name!="value"}. */
  public static LabelMatcher neq(String name, String value) {
    return new LabelMatcher(Type.NEQ, name, value);
  }

  /** {@code name=~"regex"}. */
  public static LabelMatcher re(String name, String regex) {
    return new LabelMatcher(Type.RE, name, regex);
  }

  /** {@code name!~"regex"}. */
  public static LabelMatcher nre(String name, String regex) {
    return new LabelMatcher(Type.NRE, name, regex);
  }

  /** The matcher kind. */
  public Type type() {
    return type;
  }

  /** The label name. */
  public String name() {
    return name;
  }

  /** The value or regex source. */
  public String value() {
    return value;
  }

  /**
   * The regex translated to {@link java.util.regex} (for {@link java.util.regex.Matcher#matches()}),
   * or null for = and !=. It lacks the backtracking bound of {@link #matches(String)}.
   */
  public Pattern pattern() {
    return regex == null ? null : regex.javaPattern();
  }

  /**
   * Whether a label value (empty string for an absent label) matches.
   *
   * @throws dev.promkit.tsdb.regex.RegexTooExpensiveException when a regex would backtrack
   *     catastrophically on this value
   */
  public boolean matches(String v) {
    switch (type) {
      case EQ: return value.equals(v);
      case NEQ: return !value.equals(v);
      case RE: return regex.matches(v);
      case NRE: return !regex.matches(v);
      default: throw new AssertionError(type);
    }
  }

  /** Whether the matcher accepts a series without this label. */
  public boolean matchesEmpty() {
    return matches("");
  }

  /** Whether a whole label set matches. */
  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LabelMatcher)) {
      return false;
    }
    LabelMatcher m = (LabelMatcher) o;
    return type == m.type && name.equals(m.name) && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append(type.op()).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      if (c == '\n') {
        sb.append("\\n");
        continue;
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }
}
