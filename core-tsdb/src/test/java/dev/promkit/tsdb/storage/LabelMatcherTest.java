package dev.promkit.tsdb.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.regex.RegexTooExpensiveException;
import java.time.Duration;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

class LabelMatcherTest {
  @Test
  void regexMatchersUseRe2SyntaxAndSemantics() {
    assertTrue(LabelMatcher.re("l", "[[:alpha:]]+").matches("abc"));
    assertTrue(LabelMatcher.re("l", "\\pL\\Qa.b\\E").matches("éa.b"));
    assertFalse(LabelMatcher.re("l", ".*[0-4]$").matches("x4\n")); // RE2's $ is the end of the text
    assertTrue(LabelMatcher.re("l", "a.b").matches("a\nb"));
    assertFalse(LabelMatcher.nre("l", "a.b").matches("a\nb"));
    assertTrue(LabelMatcher.nre("l", "a").matches(Labels.of("other", "a"))); // absent reads as ""
  }

  @Test
  void invalidRegexFailsWithGosMessageAsAPatternSyntaxException() {
    PatternSyntaxException e = assertThrows(PatternSyntaxException.class, () -> LabelMatcher.re("l", "(?=x)"));
    assertEquals("error parsing regexp: invalid or unsupported Perl syntax: `(?=`", e.getMessage());
    e = assertThrows(PatternSyntaxException.class, () -> LabelMatcher.of(LabelMatcher.Type.NRE, "l", "a**"));
    assertEquals("error parsing regexp: invalid nested repetition operator: `**`", e.getMessage());
  }

  @Test
  void pathologicalRegexOnALabelValueFailsFastInsteadOfHanging() {
    LabelMatcher m = LabelMatcher.re("l", "(.*a){20}");
    assertThrows(RegexTooExpensiveException.class,
        () -> assertTimeoutPreemptively(Duration.ofSeconds(10), () -> m.matches("a".repeat(40) + "b")));
  }

  @Test
  void equalityKeepsSourceTextAndPatternIsTheTranslatedForm() {
    assertEquals(LabelMatcher.re("l", "a{"), LabelMatcher.re("l", "a{"));
    assertEquals("a{", LabelMatcher.re("l", "a{").value());
    assertTrue(LabelMatcher.re("l", "a{").pattern().matcher("a{").matches());
    assertEquals(null, LabelMatcher.eq("l", "a").pattern());
  }
}
