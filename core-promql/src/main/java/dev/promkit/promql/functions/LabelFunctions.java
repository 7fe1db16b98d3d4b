package dev.promkit.promql.functions;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.regex.Re2Pattern;
import dev.promkit.tsdb.regex.Re2SyntaxException;
import dev.promkit.tsdb.regex.RegexTooExpensiveException;

/**
 * {@code label_replace} and {@code label_join} on one label set, with Prometheus' argument
 * validation (the error texts are Prometheus'). Both only rewrite labels; merging series that end
 * up with equal label sets is the evaluator's job.
 */
final class LabelFunctions {
  private LabelFunctions() {}

  /** A validated {@code label_replace(v, dst, replacement, src, regex)} call. */
  static final class Replace {
    final String dst;
    final String replacement;
    final String src;
    final Re2Pattern regex;

    private Replace(String dst, String replacement, String src, Re2Pattern regex) {
      this.dst = dst;
      this.replacement = replacement;
      this.src = src;
      this.regex = regex;
    }

    /**
     * The labels after replacement: unchanged (the same instance) when the regex does not match
     * the source label's value (an absent label reads as ""); otherwise {@code dst} set to the
     * expanded replacement, removed when that is empty.
     */
    Labels apply(Labels in) {
      String value;
      try {
        value = regex.expandFullMatch(in.get(src), replacement);
      } catch (RegexTooExpensiveException e) {
        throw new IllegalArgumentException("regular expression in label_replace() is too expensive to match: "
            + e.getMessage(), e);
      }
      return value == null ? in : in.toBuilder().set(dst, value).build();
    }
  }

  /**
   * Validates the arguments of {@code label_replace}.
   *
   * @throws IllegalArgumentException with Prometheus' message for an invalid regex or an invalid
   *     destination label name
   */
  static Replace labelReplace(String dst, String replacement, String src, String regex) {
    Re2Pattern re;
    try {
      re = Re2Pattern.compile(regex);
    } catch (Re2SyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression in label_replace(): " + regex, e);
    }
    if (!isValidLabelName(dst)) {
      throw new IllegalArgumentException("invalid destination label name in label_replace(): " + dst);
    }
    return new Replace(dst, replacement, src, re);
  }

  /**
   * Validates the label names of {@code label_join}.
   *
   * @throws IllegalArgumentException with Prometheus' message for an invalid source or destination
   */
  static void validateLabelJoin(String dst, String[] srcs) {
    for (String src : srcs) {
      if (!isValidLabelName(src)) {
        throw new IllegalArgumentException("invalid source label name in label_join(): " + src);
      }
    }
    if (!isValidLabelName(dst)) {
      throw new IllegalArgumentException("invalid destination label name in label_join(): " + dst);
    }
  }

  /**
   * {@code label_join}: {@code dst} set to the source labels' values (absent ones as "") joined
   * with {@code sep}; removed when the result is empty.
   */
  static Labels labelJoin(Labels in, String dst, String sep, String[] srcs) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < srcs.length; i++) {
      if (i > 0) {
        sb.append(sep);
      }
      sb.append(in.get(srcs[i]));
    }
    return in.toBuilder().set(dst, sb.toString()).build();
  }

  /**
   * Prometheus 3.x label names (UTF-8 validation): any non-empty string of valid Unicode, here:
   * non-empty without unpaired surrogates.
   */
  static boolean isValidLabelName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
