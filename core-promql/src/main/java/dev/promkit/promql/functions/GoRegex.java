package dev.promkit.promql.functions;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Go (RE2) regular expression run on {@link java.util.regex}, fully anchored as PromQL anchors
 * regexes, with Go's template expansion ({@code Regexp.Expand}) for {@code label_replace}.
 *
 * <p>The translation covers what differs in practice: {@code (?P<name>...)} groups (Java allows
 * neither that spelling nor underscores in names, so named groups become numbered groups and the
 * names are kept here), POSIX classes such as {@code [[:alpha:]]}, and characters that are literal
 * inside a Go character class but special in Java's ({@code [} and {@code &&}).
 */
final class GoRegex {
  private final String source;
  private final Pattern pattern;
  private final Map<String, Integer> groupNames;
  private final int groupCount;

  private GoRegex(String source, Pattern pattern, Map<String, Integer> groupNames, int groupCount) {
    this.source = source;
    this.pattern = pattern;
    this.groupNames = groupNames;
    this.groupCount = groupCount;
  }

  /**
   * Compiles {@code regex} anchored at both ends with {@code .} matching newlines ({@code ^(?s:re)$}).
   *
   * @throws PatternSyntaxException when the regex is invalid
   */
  static GoRegex compileAnchored(String regex) {
    Map<String, Integer> names = new HashMap<>();
    int[] groups = new int[1];
    String java = translate(regex, names, groups);
    // Go's (?i) folds case over all of Unicode; Java's needs UNICODE_CASE for that.
    Pattern p = Pattern.compile("(?s:" + java + ")", Pattern.UNICODE_CASE);
    return new GoRegex(regex, p, names, groups[0]);
  }

  /** The regex as written (before anchoring and translation). */
  String source() {
    return source;
  }

  /**
   * Character reads one match may make before it is abandoned. RE2 matches in linear time; Java
   * backtracks, and a pathological regex such as {@code (a*)*b} would otherwise hold the query
   * thread for hours on a 40-character label value.
   */
  static final long READ_BUDGET = 5_000_000L;

  /** Thrown when a match exceeds {@link #READ_BUDGET}. */
  static final class TooExpensiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooExpensiveException() {
      super(null, null, false, false);
    }
  }

  /**
   * A matcher on {@code input}; call {@link Matcher#matches()} for the anchored match, which throws
   * {@link TooExpensiveException} past the read budget.
   */
  Matcher matcher(String input) {
    return pattern.matcher(new BudgetedChars(input, READ_BUDGET));
  }

  /** A string view that counts reads and gives up past a budget (the regex engine's only cost). */
  private static final class BudgetedChars implements CharSequence {
    private final String s;
    private final long[] left; // shared by subSequence views

    BudgetedChars(String s, long budget) {
      this(s, new long[] {budget});
    }

    private BudgetedChars(String s, long[] left) {
      this.s = s;
      this.left = left;
    }

    @Override
    public char charAt(int index) {
      if (--left[0] < 0) {
        throw new TooExpensiveException();
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new BudgetedChars(s.substring(start, end), left);
    }

    @Override
    public String toString() {
      return s;
    }
  }

  /**
   * Go's {@code Regexp.ExpandString}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}} and
   * {@code $$}. A name is the longest run of letters, digits and underscores, so {@code $1x} means
   * the group named {@code 1x}; unknown or unmatched groups expand to nothing; a malformed
   * reference ({@code $} followed by nothing usable, or {@code ${} without its brace) stays literal.
   */
  String expand(String template, Matcher m) {
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    int len = template.length();
    while (i < len) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        out.append(template, i, len);
        break;
      }
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < len && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      // Parse a name, braced or not.
      int p = i;
      boolean brace = p < len && template.charAt(p) == '{';
      if (brace) {
        p++;
      }
      int nameStart = p;
      while (p < len) {
        int cp = template.codePointAt(p);
        if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
          break;
        }
        p += Character.charCount(cp);
      }
      if (p == nameStart || (brace && (p >= len || template.charAt(p) != '}'))) {
        out.append('$'); // malformed: the '$' is literal text
        continue;
      }
      String name = template.substring(nameStart, p);
      i = brace ? p + 1 : p;
      int num = groupNumber(name);
      int group = -1;
      if (num >= 0) {
        group = num;
      } else {
        Integer g = groupNames.get(name);
        if (g != null) {
          group = g;
        }
      }
      if (group >= 0 && group <= groupCount) {
        String s = m.group(group);
        if (s != null) {
          out.append(s);
        }
      }
    }
    return out.toString();
  }

  /** Go's rule: all ASCII digits, no leading zero, below 1e8; otherwise -1 (a name). */
  private static int groupNumber(String name) {
    int num = 0;
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c < '0' || c > '9' || num >= 100_000_000) {
        return -1;
      }
      num = num * 10 + (c - '0');
    }
    if (name.charAt(0) == '0' && name.length() > 1) {
      return -1;
    }
    return num;
  }

  private static final Map<String, String> POSIX = Map.ofEntries(
      Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"),
      Map.entry("ascii", "\\p{ASCII}"), Map.entry("blank", "\\p{Blank}"),
      Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
      Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"),
      Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"),
      Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"),
      Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));

  /** RE2 syntax to java.util.regex syntax; counts capturing groups into {@code groups[0]}. */
  static String translate(String re, Map<String, Integer> names, int[] groups) {
    StringBuilder out = new StringBuilder(re.length() + 8);
    int i = 0;
    int n = re.length();
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 < n && re.charAt(i + 1) == 'Q') {
          int end = re.indexOf("\\E", i + 2);
          int stop = end < 0 ? n : end + 2;
          out.append(re, i, stop);
          i = stop;
          continue;
        }
        i = translateEscape(re, i, out);
        continue;
      }
      if (c == '[') {
        i = translateClass(re, i, out);
        continue;
      }
      if (c == '(') {
        if (i + 1 < n && re.charAt(i + 1) == '?') {
          int nameStart = -1;
          if (re.startsWith("(?P<", i)) {
            nameStart = i + 4;
          } else if (re.startsWith("(?<", i) && i + 3 < n && re.charAt(i + 3) != '=' && re.charAt(i + 3) != '!') {
            nameStart = i + 3;
          }
          if (nameStart >= 0) {
            int close = re.indexOf('>', nameStart);
            if (close < 0) {
              throw new PatternSyntaxException("invalid named capture", re, i);
            }
            groups[0]++;
            names.putIfAbsent(re.substring(nameStart, close), groups[0]);
            out.append('(');
            i = close + 1;
            continue;
          }
          out.append(c);
          i++;
          continue;
        }
        groups[0]++;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /**
   * One escape at {@code re[i] == '\\'}. RE2 has octal escapes ({@code \\012}) and no
   * backreferences, where Java reads {@code \\1} as a backreference; and RE2's {@code \\v} is the
   * vertical tab, Java's a class. Everything else is spelled the same.
   */
  private static int translateEscape(String re, int i, StringBuilder out) {
    int n = re.length();
    if (i + 1 >= n) {
      throw new PatternSyntaxException("trailing backslash at end of expression", re, i);
    }
    char d = re.charAt(i + 1);
    if (d >= '0' && d <= '9') {
      boolean octal = d == '0' || (d <= '7' && i + 2 < n && re.charAt(i + 2) >= '0' && re.charAt(i + 2) <= '7');
      if (!octal) {
        throw new PatternSyntaxException("invalid escape sequence: \\" + d, re, i);
      }
      int value = 0;
      int k = i + 1;
      while (k < n && k < i + 4 && re.charAt(k) >= '0' && re.charAt(k) <= '7') {
        value = value * 8 + (re.charAt(k) - '0');
        k++;
      }
      out.append("\\x{").append(Integer.toHexString(value)).append('}');
      return k;
    }
    if (d == 'v') {
      out.append("\\x0B");
      return i + 2;
    }
    out.append(re, i, i + 2);
    return i + 2;
  }

  private static int translateClass(String re, int start, StringBuilder out) {
    int n = re.length();
    int i = start + 1;
    out.append('[');
    if (i < n && re.charAt(i) == '^') {
      out.append('^');
      i++;
    }
    boolean first = true;
    while (i < n) {
      char c = re.charAt(i);
      if (c == ']' && !first) {
        out.append(']');
        return i + 1;
      }
      first = false;
      if (c == '\\') {
        i = translateEscape(re, i, out);
        continue;
      }
      if (c == '[' && re.startsWith("[:", i)) {
        int end = re.indexOf(":]", i + 2);
        if (end > 0) {
          String name = re.substring(i + 2, end);
          boolean negated = name.startsWith("^");
          String cls = POSIX.get(negated ? name.substring(1) : name);
          if (cls != null) {
            if (negated) {
              cls = cls.equals("\\s") ? "\\S" : cls.equals("\\w") ? "\\W" : "\\P" + cls.substring(2);
            }
            out.append(cls);
            i = end + 2;
            continue;
          }
        }
      }
      if (c == '[' || c == '&' || c == ']') {
        out.append('\\'); // literal in RE2 classes, special in Java's
      }
      out.append(c);
      i++;
    }
    return i; // unterminated: let Pattern report it
  }
}
