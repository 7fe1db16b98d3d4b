package dev.promkit.tsdb.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class Re2PatternTest {
  private static boolean m(String re, String v) {
    return Re2Pattern.compile(re).matches(v);
  }

  private static String error(String re) {
    return assertThrows(Re2SyntaxException.class, () -> Re2Pattern.compile(re)).getMessage();
  }

  @Test
  void matchIsAnchoredAtBothEndsAndDotMatchesNewline() {
    assertTrue(m("a.c", "a\nc"));
    assertFalse(m("b", "abc"));
    assertFalse(m("a|b", "ab"));
    assertTrue(m("foo|", ""));
    assertTrue(m(".*", "x\ny\n"));
  }

  @Test
  void dollarMatchesOnlyAtTheEndNotBeforeAFinalNewline() {
    // Java's $ also matches before a final line terminator; RE2's (without m) does not.
    assertFalse(m("a$\n", "a\n"));
    assertTrue(m(".*[0-4]$", "x4"));
    assertFalse(m(".*[0-4]$", "x4\n"));
    assertTrue(m("(?m)a$\nb", "a\nb"));
    assertTrue(m("a\n(?m)^b", "a\nb"));
    assertFalse(m("a\n^b", "a\nb"));
  }

  @Test
  void endOfTextEscapeZIsSupportedAndCapitalZIsRejected() {
    assertTrue(m("ab\\z", "ab"));
    assertTrue(m("\\Aab", "ab"));
    assertEquals("error parsing regexp: invalid escape sequence: `\\Z`", error("ab\\Z"));
  }

  @Test
  void dotAllFlagCanBeTurnedOff() {
    assertFalse(m("(?-s)a.c", "a\nc"));
    assertTrue(m("(?-s)a.c", "a\rc")); // only \n is a line end in RE2
    assertTrue(m("(?-s:a.)\n.", "ab\n\n"));
    assertTrue(m("(?s).", "\n"));
  }

  @Test
  void unicodeClassesOneLetterBracedNegatedAndScripts() {
    assertTrue(m("\\pL+", "héllo"));
    assertFalse(m("\\pL", "1"));
    assertTrue(m("\\PL", "1"));
    assertTrue(m("\\p{Lu}\\p{^Lu}", "Ab"));
    assertTrue(m("\\p{Greek}+", "αβγ"));
    assertFalse(m("\\p{Greek}", "a"));
    assertTrue(m("[\\p{Han}x]+", "漢x"));
    assertTrue(m("\\p{Any}", "\n"));
    assertEquals("error parsing regexp: invalid character class range: `\\p{Foo}`", error("\\p{Foo}"));
    assertEquals("error parsing regexp: invalid character class range: `\\pX`", error("\\pX"));
  }

  @Test
  void posixClassesAreAsciiAndNegatable() {
    assertTrue(m("[[:alpha:]]+", "abcXYZ"));
    assertFalse(m("[[:alpha:]]", "é"));
    assertTrue(m("[[:^alpha:]]", "é"));
    assertTrue(m("[[:digit:][:space:]]+", "1 2\u000b3"));
    assertTrue(m("[[:punct:]]+", "!_~[]"));
    assertEquals("error parsing regexp: invalid character class range: `[:foo:]`", error("[[:foo:]]"));
  }

  @Test
  void quotedLiteralsAreLiteralAndARepeatAfterThemBindsToTheLastCharacter() {
    assertTrue(m("\\Qa.b*\\E", "a.b*"));
    assertFalse(m("\\Qa.b\\E", "axb"));
    assertTrue(m("\\Qab\\E+", "abbb"));
    assertTrue(m("\\Q(?P<x>", "(?P<x>")); // unterminated \Q runs to the end
  }

  @Test
  void perlClassesAreAsciiAndSpaceHasNoVerticalTab() {
    assertTrue(m("\\d\\w\\s", "1_ "));
    assertFalse(m("\\d", "٣")); // Arabic-Indic digit
    assertFalse(m("\\s", "\u000b"));
    assertTrue(m("\\S", "\u000b"));
    assertTrue(m("[a\\S]", "-"));
    assertFalse(m("\\w", "é"));
  }

  @Test
  void wordBoundaryIsAscii() {
    assertTrue(m(".*\\bb", "a b"));
    assertTrue(m("é\\bb", "éb")); // é is no RE2 word character, so é|b is a boundary (not in Java)
    assertFalse(m("a\\bb", "ab"));
    assertTrue(m("é\\Bé", "éé"));
  }

  @Test
  void literalBracesAndClassCharactersThatJavaTreatsSpecially() {
    assertTrue(m("a{", "a{"));
    assertTrue(m("a{,5}", "a{,5}"));
    assertTrue(m("x{2}", "xx"));
    assertTrue(m("[][a&&]+", "][a&&"));
    assertTrue(m("[^]]", "x"));
    assertTrue(m("[a-]", "-"));
  }

  @Test
  void octalHexAndControlEscapes() {
    assertTrue(m("\\012\\x41\\x{1F600}\\a\\v", "\nA\uD83D\uDE00\u0007\u000b"));
    assertEquals("error parsing regexp: invalid escape sequence: `\\1`", error("(a)\\1"));
    assertEquals("error parsing regexp: invalid escape sequence: `\\8`", error("\\8"));
    assertEquals("error parsing regexp: invalid escape sequence: `\\x{z`", error("\\x{zz}"));
    assertEquals("error parsing regexp: invalid escape sequence: `\\C`", error("\\C"));
  }

  @Test
  void ungreedyFlagSwapsGreediness() {
    assertEquals("a", Re2Pattern.compile("(?U)(a+)(a*)").expandFullMatch("aaa", "$1"));
    assertEquals("aaa", Re2Pattern.compile("(?U)(a+?)(a*)").expandFullMatch("aaa", "$1"));
    assertEquals("aaa", Re2Pattern.compile("(a+)(a*)").expandFullMatch("aaa", "$1"));
  }

  @Test
  void invalidRegexesFailWithGosMessages() {
    assertEquals("error parsing regexp: missing closing ): `a(b`", error("a(b"));
    assertEquals("error parsing regexp: unexpected ): `a)`", error("a)"));
    assertEquals("error parsing regexp: missing closing ]: `[a-z`", error("x[a-z"));
    assertEquals("error parsing regexp: invalid character class range: `z-a`", error("[z-a]"));
    assertEquals("error parsing regexp: missing argument to repetition operator: `*`", error("*a"));
    assertEquals("error parsing regexp: missing argument to repetition operator: `+?`", error("(+?)"));
    assertEquals("error parsing regexp: invalid nested repetition operator: `**`", error("a**"));
    assertEquals("error parsing regexp: invalid nested repetition operator: `*+`", error("a*+"));
    assertEquals("error parsing regexp: invalid nested repetition operator: `{2}*`", error("a{2}*"));
    assertEquals("error parsing regexp: invalid repeat count: `{1001}`", error("a{1001}"));
    assertEquals("error parsing regexp: invalid repeat count: `{2,1}`", error("a{2,1}"));
    assertEquals("error parsing regexp: invalid repeat count: `{2}`", error("(a{501}){2}"));
    assertTrue(m("(a{500}){2}", "a".repeat(1000)));
    assertEquals("error parsing regexp: invalid or unsupported Perl syntax: `(?=`", error("(?=a)"));
    assertEquals("error parsing regexp: invalid or unsupported Perl syntax: `(?!`", error("a(?!b)"));
    assertEquals("error parsing regexp: invalid named capture: `(?<=a)`", error("(?<=a)"));
    assertEquals("error parsing regexp: invalid named capture: `(?P<a-b>`", error("(?P<a-b>x)"));
    assertEquals("error parsing regexp: trailing backslash at end of expression: ``", error("ab\\"));
  }

  @Test
  void syntaxErrorIsAPatternSyntaxExceptionForExistingCallers() {
    PatternSyntaxException e = assertThrows(PatternSyntaxException.class, () -> Re2Pattern.compile("(a"));
    assertEquals("missing closing )", e.getDescription());
  }

  @Test
  void namedAndNumberedGroupsExpandAsGo() {
    Re2Pattern p = Re2Pattern.compile("source-(?P<my_part>[a-z]+)-(?<num>\\d+)");
    assertEquals("value/value/10/10", p.expandFullMatch("source-value-10", "${my_part}/$my_part/$2/${num}"));
    assertEquals("", p.expandFullMatch("source-value-10", "$1x")); // the group named "1x"
    assertEquals("$1 a${1 cost $", p.expandFullMatch("source-value-10", "$$1 a${1 cost $"));
    assertNull(p.expandFullMatch("value-10", "$1"));
  }

  @Test
  void findIsUnanchoredAndReplaceAllFollowsGo() {
    Re2Pattern p = Re2Pattern.compile("a*");
    assertEquals("-b-c-", p.replaceAll("baaac", "-")); // no empty match right after "aaa"
    assertEquals("-x-", Re2Pattern.compile("").replaceAll("x", "-"));
    assertEquals("<é>-<ü>", Re2Pattern.compile("(\\pL)").replaceAll("é-ü", "<$1>"));
    assertEquals("X-b", Re2Pattern.compile("^a").replaceAll("a-b", "X"));
    assertEquals("a-a", Re2Pattern.compile("^a").replaceAll("a-a", "$0"));
    assertTrue(Re2Pattern.compile("b").find("abc"));
    assertFalse(Re2Pattern.compile("^b").find("abc"));
    assertThrows(RegexTooExpensiveException.class, () -> Re2Pattern.compile("(.*a){20}").find("a".repeat(40) + "b"));
  }

  @Test
  void caseInsensitiveFlagFoldsBeyondAsciiAndScopesToItsGroup() {
    assertTrue(m("(?i)été", "ÉTÉ"));
    assertTrue(m("(?i:a)b", "Ab"));
    assertFalse(m("(?i:a)b", "AB"));
    assertTrue(m("a(?i)b|c", "C"));
  }

  @Test
  void catastrophicBacktrackingIsBoundedInsteadOfHanging() {
    String input = "a".repeat(40) + "b";
    // Java's loop memoisation answers this classic quickly; it must stay that way
    assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> m("(a+)+$", input)));
    // this one it does not: unbounded, it would run for hours on 41 characters
    Re2Pattern p = Re2Pattern.compile("(.*a){20}");
    RegexTooExpensiveException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThrows(RegexTooExpensiveException.class, () -> p.matches(input)));
    assertTrue(e.getMessage().startsWith("regular expression `(.*a){20}` is too expensive to match"), e.getMessage());
    // the same pattern on a matching or short input still answers
    assertTrue(p.matches("a".repeat(40)));
    assertFalse(p.matches("aab"));
  }

  @Test
  void deepRecursionOnLongValuesIsReportedNotThrownAsStackOverflow() {
    Re2Pattern p = Re2Pattern.compile("(a|b)*");
    String input = "ab".repeat(200_000);
    try {
      assertTrue(p.matches(input));
    } catch (RegexTooExpensiveException e) {
      assertTrue(e.getMessage().contains("nests too deeply"), e.getMessage());
    }
  }
}
