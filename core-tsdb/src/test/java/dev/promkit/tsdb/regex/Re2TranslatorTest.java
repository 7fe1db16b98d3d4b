package dev.promkit.tsdb.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Re2TranslatorTest {
  private static Re2Translator.Result t(String re) {
    return Re2Translator.translate(re);
  }

  @Test
  void namedGroupsBecomeNumberedAndQuotedTextIsEscapedPerCharacter() {
    Re2Translator.Result r = t("(?:a)(?P<x>b)\\((c)[(]\\Q(?P<no>\\E");
    assertEquals("(?:a)(b)\\((c)[\\(]\\(\\?P\\<no\\>", r.java);
    assertEquals(2, r.groups);
    assertEquals(1, r.names.get("x"));
    assertEquals(null, r.names.get("no"));
  }

  @Test
  void anchorsAreBareUnlessRepeated() {
    assertEquals(".*[0-4]\\z", t(".*[0-4]$").java);
    assertEquals("\\Aa(?:\\z)*", t("^a$*").java);
    assertEquals("(?:\\A|(?<=\\n))a(?:\\z|(?=\\n))", t("(?m)^a$").java);
  }

  @Test
  void onlyPatternsWhoseBacktrackingIsBoundedByTheirShapeAreLinear() {
    for (String re : new String[] {".*[0-4]$", ".+", "host-1[0-9]", "api|db.*", "a\\d{2,3}b", "(x)y*"}) {
      assertTrue(t(re).linear, re);
    }
    for (String re : new String[] {"(a+)+$", "(.*a){20}", ".*a.*", "(a|b)c", "(ab)*", "\\b*x"}) {
      assertFalse(t(re).linear, re);
    }
  }
}
