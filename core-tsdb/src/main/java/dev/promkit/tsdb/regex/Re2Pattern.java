package dev.promkit.tsdb.regex;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regular expression in RE2 syntax with Prometheus' semantics: fully anchored (it must match the
 * whole value) and {@code .} matching newlines, as Prometheus compiles {@code ^(?s:re)$} for label
 * matchers and {@code label_replace}. It runs on {@link java.util.regex} after a translation that
 * rejects what RE2 rejects (with Go's error text) and spells out what the engines read differently.
 * Matching is bounded: a pattern that would backtrack catastrophically throws
 * {@link RegexTooExpensiveException} instead of hanging. Instances are immutable and thread-safe.
 */
public final class Re2Pattern {
  /**
   * Characters a match may read, per match, before it is abandoned: a fixed allowance plus a
   * multiple of the input length. A linear-time match reads each character a handful of times.
   */
  static final long READ_BUDGET_BASE = 5_000_000L;
  static final long READ_BUDGET_PER_CHAR = 1_000L;
  /** Compiled patterns by source: queries repeat their matchers, and instances are immutable. */
  private static final int CACHE_LIMIT = 1024;
  private static final ConcurrentHashMap<String, Re2Pattern> CACHE = new ConcurrentHashMap<>();

  private final String source;
  private final Pattern pattern;
  private final Map<String, Integer> groupNames;
  private final int groupCount;
  private final boolean linear; // backtracking is bounded by the pattern's shape: no budget needed

  private Re2Pattern(String source, Pattern pattern, Map<String, Integer> groupNames, int groupCount, boolean linear) {
    this.source = source;
    this.pattern = pattern;
    this.groupNames = groupNames;
    this.groupCount = groupCount;
    this.linear = linear;
  }

  /**
   * Compiles {@code regex}.
   *
   * @throws Re2SyntaxException with Go's message when RE2 rejects the regex
   */
  public static Re2Pattern compile(String regex) {
    Re2Pattern p = CACHE.get(regex);
    if (p == null) {
      p = translateAndCompile(regex);
      if (CACHE.size() < CACHE_LIMIT) { // bounded: a flood of distinct regexes only misses
        CACHE.put(regex, p);
      }
    }
    return p;
  }

  private static Re2Pattern translateAndCompile(String regex) {
    Re2Translator.Result t = Re2Translator.translate(regex);
    // DOTALL: '.' is emitted only where RE2's s flag is on. UNICODE_CASE: Go's (?i) folds all of
    // Unicode. No MULTILINE: ^ and $ are translated explicitly.
    Pattern p = Pattern.compile(t.java, Pattern.DOTALL | Pattern.UNICODE_CASE);
    return new Re2Pattern(regex, p, Map.copyOf(t.names), t.groups, t.linear);
  }

  /** The regex as written. */
  public String source() {
    return source;
  }

  /**
   * The translated {@link java.util.regex} form (for {@link Matcher#matches()}). Matching through it
   * directly has no protection against catastrophic backtracking; prefer {@link #matches(String)}.
   */
  public Pattern javaPattern() {
    return pattern;
  }

  /**
   * Whether the whole of {@code value} matches.
   *
   * @throws RegexTooExpensiveException when the match exceeds its budget
   */
  public boolean matches(String value) {
    return run(matcherOn(value), value);
  }

  /**
   * Go's {@code Regexp.ExpandString} on a whole-value match, as {@code label_replace} uses it: null
   * when {@code value} does not match, else {@code template} with {@code $1}, {@code ${1}},
   * {@code $name}, {@code ${name}} replaced by the groups and {@code $$} by {@code $}. A name is the
   * longest run of letters, digits and underscores ({@code $1x} names group "1x"); unknown or
   * unmatched groups expand to nothing; a malformed reference stays literal.
   *
   * @throws RegexTooExpensiveException when the match exceeds its budget
   */
  public String expandFullMatch(String value, String template) {
    Matcher m = matcherOn(value);
    return run(m, value) ? expand(template, m) : null;
  }

  /**
   * Whether some part of {@code value} matches: Go's unanchored {@code MatchString}, as the
   * template function {@code match} uses it ({@code ^} and {@code $} anchor explicitly).
   *
   * @throws RegexTooExpensiveException when the search exceeds its budget
   */
  public boolean find(String value) {
    Matcher m = matcherOn(value);
    try {
      return m.find();
    } catch (BudgetedChars.Exhausted | StackOverflowError e) {
      throw tooExpensive(value, e);
    }
  }

  /**
   * Go's {@code ReplaceAllString}: every leftmost, non-overlapping match in {@code value} replaced by
   * {@code template} expanded as in {@link #expandFullMatch}; an empty match right after a previous
   * match is not replaced, as in Go.
   *
   * @throws RegexTooExpensiveException when the search exceeds its budget
   */
  public String replaceAll(String value, String template) {
    Matcher m = matcherOn(value);
    StringBuilder out = new StringBuilder(value.length() + 16);
    int lastMatchEnd = 0;
    int searchPos = 0;
    try {
      while (searchPos <= value.length() && m.find(searchPos)) {
        int start = m.start();
        int end = m.end();
        out.append(value, lastMatchEnd, start);
        if (end > lastMatchEnd || start == 0) {
          out.append(expand(template, m));
        }
        lastMatchEnd = end;
        // always advance, by at least one character (a whole code point)
        int width = searchPos < value.length() ? Character.charCount(value.codePointAt(searchPos)) : 1;
        searchPos = searchPos + width > end ? searchPos + width : end;
      }
    } catch (BudgetedChars.Exhausted | StackOverflowError e) {
      throw tooExpensive(value, e);
    }
    return out.append(value, lastMatchEnd, value.length()).toString();
  }

  private Matcher matcherOn(String value) {
    if (linear) {
      return pattern.matcher(value); // the common case (.*[0-4]$, foo.+): the plain string is fastest
    }
    return pattern.matcher(new BudgetedChars(value, READ_BUDGET_BASE + READ_BUDGET_PER_CHAR * value.length()));
  }

  private boolean run(Matcher m, String value) {
    try {
      return m.matches();
    } catch (BudgetedChars.Exhausted | StackOverflowError e) {
      throw tooExpensive(value, e);
    }
  }

  private RegexTooExpensiveException tooExpensive(String value, Throwable cause) {
    if (cause instanceof StackOverflowError) {
      return new RegexTooExpensiveException("regular expression `" + source + "` nests too deeply to match on a value of "
          + value.length() + " characters");
    }
    return new RegexTooExpensiveException("regular expression `" + source + "` is too expensive to match on a value of "
        + value.length() + " characters (Java backtracks where Prometheus' RE2 matches in linear time)");
  }

  /** A string view that counts reads and gives up past a budget (the regex engine's only cost). */
  private static final class BudgetedChars implements CharSequence {
    /** Thrown past the budget; stackless, as it is caught right away. */
    static final class Exhausted extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Exhausted() {
        super(null, null, false, false);
      }
    }

    private final String s;
    private long left;

    BudgetedChars(String s, long budget) {
      this.s = s;
      this.left = budget;
    }

    @Override
    public char charAt(int index) {
      if (--left < 0) {
        throw new Exhausted();
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return s.substring(start, end); // only group() asks, after the match: no budget needed
    }

    @Override
    public String toString() {
      return s;
    }
  }

  private String expand(String template, Matcher m) {
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
      int group = groupNumber(name);
      if (group < 0) {
        group = groupNames.getOrDefault(name, -1);
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

  @Override
  public String toString() {
    return source;
  }
}
