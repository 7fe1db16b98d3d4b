package dev.promkit.tsdb.index;

import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a (fully anchored) label regex reduces to, when it is simple enough to skip the regex
 * engine: a literal alternation {@code a|b|c}, or a literal prefix {@code foo.*}.
 */
final class RegexShape {
  private static final String META = "\\.+*?()[]{}^$|";
  private static final int CACHE_LIMIT = 1024;
  private static final ConcurrentHashMap<String, RegexShape> CACHE = new ConcurrentHashMap<>();

  final List<String> alternatives; // non-null: the regex is exactly one of these literals
  final String prefix; // non-null: the regex is prefix + ".*"

  private RegexShape(List<String> alternatives, String prefix) {
    this.alternatives = alternatives;
    this.prefix = prefix;
  }

  static RegexShape of(String re) {
    RegexShape s = CACHE.get(re);
    if (s == null) {
      s = analyse(re);
      if (CACHE.size() < CACHE_LIMIT) {
        CACHE.put(re, s);
      }
    }
    return s;
  }

  static RegexShape analyse(String re) {
    if (isLiteral(re, true)) {
      return new RegexShape(List.of(re.split("\\|", -1)), null);
    }
    if (re.endsWith(".*") && isLiteral(re.substring(0, re.length() - 2), false)) {
      // (?s) is on, so ".*" is any suffix, newlines included
      return new RegexShape(null, re.substring(0, re.length() - 2));
    }
    return new RegexShape(null, null);
  }

  private static boolean isLiteral(String s, boolean allowBar) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (META.indexOf(c) >= 0 && !(allowBar && c == '|')) {
        return false;
      }
    }
    return true;
  }

  /** Whether the matcher's regex matches v, without the regex engine where the shape allows. */
  boolean matches(String v, LabelMatcher m) {
    if (alternatives != null) {
      return alternatives.contains(v);
    }
    if (prefix != null) {
      return v.startsWith(prefix);
    }
    return m.matches(v) == (m.type() == LabelMatcher.Type.RE); // the regex's answer, for =~ and !~ alike
  }
}
