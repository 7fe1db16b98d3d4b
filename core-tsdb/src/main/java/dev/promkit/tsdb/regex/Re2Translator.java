package dev.promkit.tsdb.regex;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses RE2 syntax (Go's {@code regexp/syntax} with Perl flags, as Prometheus compiles it) and
 * writes the same language in {@link java.util.regex} syntax. It rejects what RE2 rejects with Go's
 * error text, and spells out every construct whose meaning differs between the two engines:
 * {@code ^ $} (RE2: text or line bounds only at {@code \n}), {@code \b} (ASCII in RE2), {@code \s}
 * (no vertical tab in RE2), POSIX classes, {@code \pN} and script names, octal escapes, the
 * {@code U} flag, and characters that are literal in RE2 but special in Java ({@code {}, {@code [}
 * and {@code &&} in classes).
 */
final class Re2Translator {
  private static final int FLAG_I = 1;
  private static final int FLAG_M = 2; // RE2's multi-line: ^ and $ at line bounds
  private static final int FLAG_S = 4;
  private static final int FLAG_U = 8; // RE2's ungreedy: swaps x* and x*?
  private static final int MAX_REPEAT = 1000;

  private static final String WORD = "0-9A-Za-z_";
  private static final Map<String, String> POSIX = Map.ofEntries(
      Map.entry("alnum", "0-9A-Za-z"), Map.entry("alpha", "A-Za-z"),
      Map.entry("ascii", "\\x{0}-\\x{7f}"), Map.entry("blank", "\\t "),
      Map.entry("cntrl", "\\x{0}-\\x{1f}\\x{7f}"), Map.entry("digit", "0-9"),
      Map.entry("graph", "!-~"), Map.entry("lower", "a-z"), Map.entry("print", " -~"),
      Map.entry("punct", "!-/:-@\\[-`{-~"), Map.entry("space", "\\t\\n\\x{b}\\f\\r "),
      Map.entry("upper", "A-Z"), Map.entry("word", WORD), Map.entry("xdigit", "0-9A-Fa-f"));
  private static final Set<String> CATEGORIES = Set.of("C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm",
      "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf",
      "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs");

  private final String re;
  private final StringBuilder out;
  private final Map<String, Integer> names = new HashMap<>();
  private int groups;
  private int pos;
  private int flags = FLAG_S; // Prometheus compiles with DotNL: '.' matches newlines
  /** Open groups: the flags to restore at ')' and the repeat product of the group so far. */
  private final Deque<long[]> stack = new ArrayDeque<>();
  private boolean canRepeat; // an operand precedes: not at the start, after '(' or '|'
  private int lastRepeatStart = -1; // start of the repetition operator just read, else -1
  private long atomProduct = 1; // nested counted-repeat product of the last operand
  private long branchProduct = 1; // largest product seen in the current group
  // What bounds the backtracking of the translation (see Result.linear):
  private boolean lastSingleChar; // the last operand matches exactly one character
  private int quantifiers;
  private boolean quantifiedGroupOrAssertion;
  private boolean innerAlternation; // a '|' inside a group

  private Re2Translator(String re) {
    this.re = re;
    this.out = new StringBuilder(re.length() + 16);
  }

  /** The translation of one regex. */
  static final class Result {
    final String java;
    final Map<String, Integer> names;
    final int groups;
    /**
     * Whether a backtracking match of the translation costs at most O(value length x pattern
     * length): at most one repetition, of a single-character operand, and alternation only at the
     * top level (whose branches add up). Such patterns need no matching budget.
     */
    final boolean linear;

    Result(String java, Map<String, Integer> names, int groups, boolean linear) {
      this.java = java;
      this.names = names;
      this.groups = groups;
      this.linear = linear;
    }
  }

  /**
   * Translates {@code re}; named groups become numbered ones (their names are returned).
   *
   * @throws Re2SyntaxException with Go's message when RE2 rejects {@code re}
   */
  static Result translate(String re) {
    Re2Translator t = new Re2Translator(re);
    t.parse();
    boolean linear = t.quantifiers <= 1 && !t.quantifiedGroupOrAssertion && !t.innerAlternation;
    return new Result(t.out.toString(), t.names, t.groups, linear);
  }

  private Re2SyntaxException error(String code, String expr) {
    return new Re2SyntaxException(code, expr, re, pos);
  }

  private void parse() {
    int n = re.length();
    while (pos < n) {
      char c = re.charAt(pos);
      int repeatStart = -1;
      switch (c) {
        case '(':
          openGroup();
          break;
        case '|':
          innerAlternation |= !stack.isEmpty();
          out.append('|');
          pos++;
          branchProduct = Math.max(branchProduct, atomProduct);
          canRepeat = false;
          break;
        case ')':
          closeGroup();
          break;
        case '^':
          pos++;
          zeroWidth((flags & FLAG_M) != 0 ? "(?:\\A|(?<=\\n))" : "\\A");
          break;
        case '$':
          pos++;
          zeroWidth((flags & FLAG_M) != 0 ? "(?:\\z|(?=\\n))" : "\\z");
          break;
        case '.':
          pos++;
          operand((flags & FLAG_S) != 0 ? "." : "[^\\n]");
          break;
        case '[':
          operand(parseClass());
          break;
        case '*':
        case '+':
        case '?':
          repeatStart = pos;
          pos++;
          repeat(String.valueOf(c), repeatStart, 0, 0);
          break;
        case '{': {
          int start = pos;
          int[] minMax = parseRepeatCount();
          if (minMax == null) {
            pos++;
            operand("\\{"); // not a repeat: RE2 reads '{' as a literal, Java would reject it
            break;
          }
          int min = minMax[0];
          int max = minMax[1];
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw error("invalid repeat count", re.substring(start, pos));
          }
          repeatStart = start;
          String op = max == min ? "{" + min + "}" : max < 0 ? "{" + min + ",}" : "{" + min + "," + max + "}";
          repeat(op, start, min, max < 0 ? min : max);
          break;
        }
        case '\\':
          parseEscapeOutside();
          break;
        default:
          operand(literal(readCodePoint()));
      }
      lastRepeatStart = repeatStart;
    }
    if (!stack.isEmpty()) {
      throw error("missing closing )", re);
    }
  }

  /** One character's worth of pattern: a literal, a class, or '.'. */
  private void operand(String java) {
    branchProduct = Math.max(branchProduct, atomProduct);
    out.append(java);
    canRepeat = true;
    atomProduct = 1;
    lastSingleChar = true;
  }

  /** An assertion; wrapped in a group only where a repetition follows (RE2 allows ^*, Java may not). */
  private void zeroWidth(String java) {
    boolean repeated = pos < re.length() && "*+?{".indexOf(re.charAt(pos)) >= 0;
    operand(repeated ? "(?:" + java + ")" : java);
    lastSingleChar = false;
  }

  /** A repetition operator just read (pos is past it); {@code count} is 0 for * + ?. */
  private void repeat(String op, int start, int min, int count) {
    boolean lazy = false;
    if (pos < re.length() && re.charAt(pos) == '?') {
      lazy = true;
      pos++;
    }
    if (lastRepeatStart >= 0) {
      throw error("invalid nested repetition operator", re.substring(lastRepeatStart, pos));
    }
    if (!canRepeat) {
      throw error("missing argument to repetition operator", re.substring(start, pos));
    }
    if (count >= 2 || min >= 2) {
      long product = atomProduct * count;
      if (count > 0 && product > MAX_REPEAT) {
        throw error("invalid repeat count", re.substring(start, pos));
      }
      atomProduct = count == 0 ? 1 : product;
    }
    quantifiers++;
    quantifiedGroupOrAssertion |= !lastSingleChar;
    out.append(op);
    if (lazy != ((flags & FLAG_U) != 0)) {
      out.append('?');
    }
  }

  /** {@code {min}}, {@code {min,}} or {@code {min,max}} at pos: [min, max (-1: none)], or null. */
  private int[] parseRepeatCount() {
    int n = re.length();
    int p = pos + 1;
    int[] num = new int[2];
    p = parseInt(p, num, 0);
    if (p < 0 || p >= n) {
      return null;
    }
    int max;
    if (re.charAt(p) != ',') {
      max = num[0];
    } else {
      p++;
      if (p >= n) {
        return null;
      }
      if (re.charAt(p) == '}') {
        max = -1;
      } else {
        p = parseInt(p, num, 1);
        if (p < 0) {
          return null;
        }
        max = num[1];
        if (max < 0) {
          num[0] = -1; // too big
        }
      }
    }
    if (p >= n || re.charAt(p) != '}') {
      return null;
    }
    pos = p + 1;
    return new int[] {num[0], max};
  }

  /** Go's decimal: digits without a leading zero; -1 as the value when too big. */
  private int parseInt(int p, int[] into, int slot) {
    int n = re.length();
    if (p >= n || re.charAt(p) < '0' || re.charAt(p) > '9') {
      return -1;
    }
    if (p + 1 < n && re.charAt(p) == '0' && re.charAt(p + 1) >= '0' && re.charAt(p + 1) <= '9') {
      return -1;
    }
    int v = 0;
    while (p < n && re.charAt(p) >= '0' && re.charAt(p) <= '9') {
      if (v >= 100_000_000) {
        v = -1;
      } else if (v >= 0) {
        v = v * 10 + (re.charAt(p) - '0');
      }
      p++;
    }
    into[slot] = v;
    return p;
  }

  private void openGroup() {
    int n = re.length();
    int start = pos;
    if (pos + 1 < n && re.charAt(pos + 1) == '?') {
      boolean withP = pos + 4 < n && re.charAt(pos + 2) == 'P' && re.charAt(pos + 3) == '<';
      boolean withName = pos + 3 < n && re.charAt(pos + 2) == '<';
      if (withP || withName) {
        int end = re.indexOf('>', pos);
        if (end < 0) {
          throw error("invalid named capture", re.substring(start));
        }
        String name = re.substring(pos + (withP ? 4 : 3), end);
        if (!isCaptureName(name)) {
          throw error("invalid named capture", re.substring(start, end + 1));
        }
        groups++;
        names.putIfAbsent(name, groups);
        pushGroup(flags);
        out.append('(');
        pos = end + 1;
        return;
      }
      // Flags, a non-capturing group, or both: (?i) (?i-s) (?: (?i:
      int p = pos + 2;
      int f = flags;
      boolean negate = false;
      boolean sawFlag = false;
      while (p < n) {
        char c = re.charAt(p++);
        int bit;
        switch (c) {
          case 'i': bit = FLAG_I; break;
          case 'm': bit = FLAG_M; break;
          case 's': bit = FLAG_S; break;
          case 'U': bit = FLAG_U; break;
          case '-':
            if (negate) {
              throw error("invalid or unsupported Perl syntax", re.substring(start, p));
            }
            negate = true;
            sawFlag = false;
            continue;
          case ':':
          case ')':
            if (negate && !sawFlag) {
              throw error("invalid or unsupported Perl syntax", re.substring(start, p));
            }
            pos = p;
            // Java scopes inline flags to the enclosing group as Go does; only 'i' is Java's to
            // apply ('s' drives our '.', 'm' our '^' '$', 'U' our quantifiers).
            String javaFlag = "";
            if ((f & FLAG_I) != (flags & FLAG_I)) {
              javaFlag = (f & FLAG_I) != 0 ? "i" : "-i";
            }
            if (c == ':') {
              pushGroup(flags);
              out.append("(?").append(javaFlag).append(':');
            } else if (!javaFlag.isEmpty()) {
              out.append("(?").append(javaFlag).append(')');
            }
            flags = f;
            return;
          default:
            throw error("invalid or unsupported Perl syntax", re.substring(start, p));
        }
        f = negate ? f & ~bit : f | bit;
        sawFlag = true;
      }
      throw error("invalid or unsupported Perl syntax", re.substring(start, p));
    }
    groups++;
    pushGroup(flags);
    out.append('(');
    pos++;
  }

  private void pushGroup(int savedFlags) {
    branchProduct = Math.max(branchProduct, atomProduct);
    stack.push(new long[] {savedFlags, branchProduct});
    branchProduct = 1;
    atomProduct = 1;
    canRepeat = false;
  }

  private void closeGroup() {
    if (stack.isEmpty()) {
      throw error("unexpected )", re);
    }
    long[] g = stack.pop();
    long inner = Math.max(branchProduct, atomProduct);
    flags = (int) g[0];
    branchProduct = g[1];
    out.append(')');
    pos++;
    canRepeat = true;
    atomProduct = inner;
    lastSingleChar = false;
  }

  private static boolean isCaptureName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '_' && !isAlnum(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(int c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private int readCodePoint() {
    char c = re.charAt(pos);
    if (Character.isHighSurrogate(c) && pos + 1 < re.length() && Character.isLowSurrogate(re.charAt(pos + 1))) {
      int cp = re.codePointAt(pos);
      pos += 2;
      return cp;
    }
    if (Character.isSurrogate(c)) {
      throw error("invalid UTF-8", re.substring(pos));
    }
    pos++;
    return c;
  }

  /** A code point as a Java literal, valid inside and outside classes. */
  private static String literal(int cp) {
    if (isAlnum(cp) || cp == '_') {
      return String.valueOf((char) cp);
    }
    if (cp > 0x20 && cp < 0x7f) {
      return "\\" + (char) cp; // Java allows a backslash before any non-letter
    }
    return "\\x{" + Integer.toHexString(cp) + "}";
  }

  private void parseEscapeOutside() {
    int n = re.length();
    if (pos + 1 < n) {
      switch (re.charAt(pos + 1)) {
        case 'A':
          pos += 2;
          zeroWidth("\\A");
          return;
        case 'z':
          pos += 2;
          zeroWidth("\\z");
          return;
        case 'b': // RE2's word boundary is ASCII; Java's \b is not
          pos += 2;
          zeroWidth("(?-i:(?:(?<=[" + WORD + "])(?![" + WORD + "])|(?<![" + WORD + "])(?=[" + WORD + "])))");
          return;
        case 'B':
          pos += 2;
          zeroWidth("(?-i:(?:(?<=[" + WORD + "])(?=[" + WORD + "])|(?<![" + WORD + "])(?![" + WORD + "])))");
          return;
        case 'C':
          throw error("invalid escape sequence", re.substring(pos, pos + 2));
        case 'Q': {
          int end = re.indexOf("\\E", pos + 2);
          int stop = end < 0 ? n : end;
          pos += 2;
          while (pos < stop) {
            operand(literal(readCodePoint()));
          }
          if (end >= 0) {
            pos = end + 2;
          }
          return;
        }
        default:
          break;
      }
    }
    String cls = classEscape();
    if (cls != null) {
      operand("[" + cls + "]");
      return;
    }
    operand(literal(parseEscape()));
  }

  /**
   * A Perl (\d \s \w, negated) or Unicode (\pL, \p{Greek}) class at pos as a Java class body
   * (valid inside brackets), advancing pos; null (pos unchanged) when pos holds no such escape.
   */
  private String classEscape() {
    int n = re.length();
    if (pos + 1 >= n || re.charAt(pos) != '\\') {
      return null;
    }
    char d = re.charAt(pos + 1);
    String body;
    switch (d) {
      case 'd': body = "0-9"; break;
      case 'D': body = "[^0-9]"; break;
      case 's': body = "\\t\\n\\f\\r "; break; // RE2's \s has no vertical tab; Java's has
      case 'S': body = "[^\\t\\n\\f\\r ]"; break;
      case 'w': body = WORD; break;
      case 'W': body = "[^" + WORD + "]"; break;
      case 'p':
      case 'P':
        return unicodeClass();
      default:
        return null;
    }
    pos += 2;
    return body;
  }

  private String unicodeClass() {
    int n = re.length();
    int start = pos;
    boolean negated = re.charAt(pos + 1) == 'P';
    if (pos + 2 >= n) {
      // Go reads past the end as no name at all
      throw error("invalid character class range", re.substring(start));
    }
    String name;
    int end;
    if (re.charAt(pos + 2) != '{') {
      end = pos + 2 + Character.charCount(re.codePointAt(pos + 2));
      name = re.substring(pos + 2, end);
    } else {
      int close = re.indexOf('}', pos);
      if (close < 0) {
        throw error("invalid character class range", re.substring(start));
      }
      name = re.substring(pos + 3, close);
      end = close + 1;
    }
    String seq = re.substring(start, end);
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.substring(1);
    }
    String java;
    if (name.equals("Any")) {
      java = "\\x{0}-\\x{10ffff}";
    } else if (name.equals("C")) {
      java = "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}"; // Go's C leaves out unassigned code points; Java's has them
    } else if (CATEGORIES.contains(name)) {
      java = "\\p{" + name + "}";
    } else if (isScript(name)) {
      java = "\\p{sc=" + name + "}";
    } else {
      throw error("invalid character class range", seq);
    }
    pos = end;
    return negated ? "[^" + java + "]" : java;
  }

  private static boolean isScript(String name) {
    if (name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
      return false;
    }
    try {
      return Character.UnicodeScript.forName(name).name().equals(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A single-character escape at pos (Go's parseEscape): the code point, pos advanced. */
  private int parseEscape() {
    int n = re.length();
    int start = pos;
    if (pos + 1 >= n) {
      throw error("trailing backslash at end of expression", "");
    }
    pos++;
    int c = readCodePoint();
    switch (c) {
      case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        if (pos >= n || re.charAt(pos) < '0' || re.charAt(pos) > '7') {
          break; // a backreference: RE2 has none
        }
        // fall through: octal
      case '0': {
        int r = c - '0';
        for (int k = 1; k < 3 && pos < n && re.charAt(pos) >= '0' && re.charAt(pos) <= '7'; k++) {
          r = r * 8 + (re.charAt(pos++) - '0');
        }
        return r;
      }
      case 'x': {
        if (pos >= n) {
          break;
        }
        int h = readCodePoint();
        if (h == '{') {
          int r = 0;
          int digits = 0;
          while (true) {
            if (pos >= n) {
              throw error("invalid escape sequence", re.substring(start, pos));
            }
            int d = readCodePoint();
            if (d == '}') {
              break;
            }
            int v = Character.digit(d, 16);
            if (v < 0 || d > 'f') {
              throw error("invalid escape sequence", re.substring(start, pos));
            }
            r = r * 16 + v;
            if (r > Character.MAX_CODE_POINT) {
              throw error("invalid escape sequence", re.substring(start, pos));
            }
            digits++;
          }
          if (digits == 0) {
            throw error("invalid escape sequence", re.substring(start, pos));
          }
          return r;
        }
        if (pos >= n) {
          throw error("invalid escape sequence", re.substring(start, pos));
        }
        int l = readCodePoint();
        int x = h > 'f' ? -1 : Character.digit(h, 16);
        int y = l > 'f' ? -1 : Character.digit(l, 16);
        if (x < 0 || y < 0) {
          break;
        }
        return x * 16 + y;
      }
      case 'a': return 0x07;
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'v': return 0x0b;
      default:
        if (c < 0x80 && !isAlnum(c)) {
          return c; // escaped punctuation is itself
        }
    }
    throw error("invalid escape sequence", re.substring(start, pos));
  }

  /** A bracketed class at pos, as a Java class. */
  private String parseClass() {
    int n = re.length();
    int start = pos;
    StringBuilder cls = new StringBuilder("[");
    pos++;
    if (pos < n && re.charAt(pos) == '^') {
      cls.append('^');
      pos++;
    }
    boolean first = true; // ']' first in a class is a literal
    while (pos >= n || re.charAt(pos) != ']' || first) {
      if (pos >= n) {
        throw error("missing closing ]", re.substring(start));
      }
      first = false;
      if (re.startsWith("[:", pos)) {
        int end = re.indexOf(":]", pos + 2);
        if (end >= 0) {
          String name = re.substring(pos + 2, end);
          boolean negated = name.startsWith("^");
          String body = POSIX.get(negated ? name.substring(1) : name);
          if (body == null) {
            throw error("invalid character class range", re.substring(pos, end + 2));
          }
          cls.append(negated ? "[^" + body + "]" : body);
          pos = end + 2;
          continue;
        }
      }
      String esc = classEscape();
      if (esc != null) {
        cls.append(esc);
        continue;
      }
      int rangeStart = pos;
      int lo = classChar();
      int hi = lo;
      if (pos + 1 < n && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
        pos++;
        if (pos >= n) {
          throw error("missing closing ]", re.substring(start));
        }
        hi = classChar();
        if (hi < lo) {
          throw error("invalid character class range", re.substring(rangeStart, pos));
        }
      }
      cls.append(literal(lo));
      if (hi != lo) {
        cls.append('-').append(literal(hi));
      }
    }
    pos++; // ']'
    return cls.append(']').toString();
  }

  private int classChar() {
    if (re.charAt(pos) == '\\') {
      return parseEscape();
    }
    return readCodePoint();
  }
}
