package dev.promkit.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promkit.tsdb.labels.Labels;
import org.junit.jupiter.api.Test;

class LabelFunctionsTest {
  private static final Labels SRC = Labels.of("__name__", "up", "src", "source-value-10", "other", "x");

  private static Labels replace(Labels in, String dst, String repl, String src, String regex) {
    return LabelFunctions.labelReplace(dst, repl, src, regex).apply(in);
  }

  @Test
  void numberedGroupsExpandAsGo() {
    assertEquals("value-10", replace(SRC, "dst", "$1", "src", "source-(.*)").get("dst"));
    assertEquals("value-10", replace(SRC, "dst", "${1}", "src", "source-(.*)").get("dst"));
    assertEquals("value-10-x", replace(SRC, "dst", "${1}-x", "src", "source-(.*)").get("dst"));
  }

  @Test
  void dollarFollowedByNameCharactersIsOneName() {
    // Go reads "$1x" as the group named "1x", which does not exist: it expands to nothing.
    Labels out = replace(SRC, "dst", "$1x", "src", "source-(.*)");
    assertEquals("", out.get("dst"));
    assertEquals(false, out.has("dst"));
  }

  @Test
  void namedGroupsWithUnderscoresExpand() {
    Labels out = replace(SRC, "dst", "${my_part}/$my_part", "src", "source-(?P<my_part>[a-z]+)-\\d+");
    assertEquals("value/value", out.get("dst"));
  }

  @Test
  void doubleDollarIsLiteralAndMalformedReferenceStaysLiteral() {
    assertEquals("$1", replace(SRC, "dst", "$$1", "src", "(.*)").get("dst"));
    assertEquals("a${1", replace(SRC, "dst", "a${1", "src", "(.*)").get("dst"));
    assertEquals("cost $", replace(SRC, "dst", "cost $", "src", "(.*)").get("dst"));
  }

  @Test
  void regexIsAnchoredAndNoMatchLeavesLabelsAlone() {
    assertSame(SRC, replace(SRC, "dst", "$1", "src", "value-(.*)"));
    // An absent source label reads as "", which ".*" matches.
    assertEquals("y", replace(SRC, "dst", "y", "nope", ".*").get("dst"));
  }

  @Test
  void emptyReplacementRemovesTheDestination() {
    assertEquals(false, replace(SRC, "other", "", "src", ".*").has("other"));
  }

  @Test
  void dotMatchesNewline() {
    Labels l = Labels.of("a", "x\ny");
    assertEquals("x\ny", replace(l, "b", "$1", "a", "(.*)").get("b"));
  }

  @Test
  void posixClassesAndLiteralBracketsInClasses() {
    assertEquals("source", replace(SRC, "dst", "$1", "src", "([[:alpha:]]+)-.*").get("dst"));
    Labels l = Labels.of("a", "[x]&&y");
    assertEquals("[x]&&y", replace(l, "b", "$1", "a", "([][a-z&]+)").get("b"));
  }

  @Test
  void negatedPosixClassAndCaseInsensitiveFlag() {
    Labels l = Labels.of("a", "AbC123");
    assertEquals("123", replace(l, "b", "$1", "a", "[[:^digit:]]+([[:digit:]]+)").get("b"));
    assertEquals("AbC", replace(l, "b", "$1", "a", "(?i)(abc)\\d+").get("b"));
  }

  @Test
  void octalEscapesAreCharactersAndBackreferencesAreRejectedAsInRe2() {
    Labels l = Labels.of("a", "x\ny");
    assertEquals("y", replace(l, "b", "$1", "a", "x\\012(.)").get("b"));
    assertThrows(IllegalArgumentException.class, () -> LabelFunctions.labelReplace("b", "", "a", "(x)\\1"));
    assertEquals("ok", replace(Labels.of("a", "\u000b"), "b", "ok", "a", "\\v").get("b"));
  }

  @Test
  void catastrophicBacktrackingFailsFastInsteadOfHanging() {
    Labels l = Labels.of("a", "a".repeat(40) + "b");
    long start = System.nanoTime();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> replace(l, "b", "x", "a", "(.*a){20}"));
    assertEquals(true, e.getMessage().startsWith("regular expression in label_replace() is too expensive"));
    assertEquals(true, System.nanoTime() - start < 10_000_000_000L, "gave up within seconds");
  }

  @Test
  void whitespaceClassIsRe2s() {
    assertEquals("y", replace(Labels.of("a", "x y"), "b", "y", "a", "x\\sy").get("b"));
    assertSame(SRC, replace(SRC, "b", "y", "other", "[\\s]"));
    Labels vt = Labels.of("a", "x\u000by");
    assertSame(vt, replace(vt, "b", "y", "a", "x\\sy")); // RE2's \s has no vertical tab
    assertEquals("y", replace(vt, "b", "y", "a", "x\\Sy").get("b"));
    assertEquals("y", replace(Labels.of("a", "x-y"), "b", "y", "a", "x[a\\S]y").get("b"));
  }

  @Test
  void caseInsensitiveMatchingFoldsBeyondAscii() {
    assertEquals("ÉTÉ", replace(Labels.of("a", "ÉTÉ"), "b", "$1", "a", "(?i)(été)").get("b"));
  }

  @Test
  void invalidArgumentsFailWithPrometheusMessages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabelFunctions.labelReplace("dst", "", "src", "(.*"));
    assertEquals("invalid regular expression in label_replace(): (.*", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LabelFunctions.labelReplace("", "", "src", ".*"));
    assertEquals("invalid destination label name in label_replace(): ", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LabelFunctions.validateLabelJoin("dst", new String[] {"a", ""}));
    assertEquals("invalid source label name in label_join(): ", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LabelFunctions.validateLabelJoin("\uD800", new String[] {"a"}));
    assertEquals("invalid destination label name in label_join(): \uD800", e.getMessage());
  }

  @Test
  void labelJoinJoinsAbsentLabelsAsEmpty() {
    Labels out = LabelFunctions.labelJoin(SRC, "dst", ",", new String[] {"other", "missing", "__name__"});
    assertEquals("x,,up", out.get("dst"));
    assertEquals(false, LabelFunctions.labelJoin(SRC, "other", "-", new String[] {"missing"}).has("other"));
  }
}
