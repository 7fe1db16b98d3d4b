package dev.promkit.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Go's quoting rules. */
class GoStringsTest {
  @Test
  void unquotesAllEscapeForms() {
    assertEquals("\u0007\b\f\n\r\t\u000b\\\"", GoStrings.unquote("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\""));
    assertEquals("\u00e9", GoStrings.unquote("\"\\xc3\\xa9\""));
    assertEquals("\u00e9", GoStrings.unquote("\"\\303\\251\""));
    assertEquals("no \\escapes", GoStrings.unquote("`no \\escapes`"));
  }

  @Test
  void rejectsMalformedEscapes() {
    assertThrows(IllegalArgumentException.class, () -> GoStrings.unquote("\"\\q\""));
    assertThrows(IllegalArgumentException.class, () -> GoStrings.unquote("\"\\x4\""));
    assertThrows(IllegalArgumentException.class, () -> GoStrings.unquote("'\\\"'"));
    assertThrows(IllegalArgumentException.class, () -> GoStrings.unquote("\"\\ud800\""));
  }

  @Test
  void quotesLikeStrconvQuote() {
    assertEquals("\"a\\\"b\\\\c\\n\"", GoStrings.quote("a\"b\\c\n"));
    assertEquals("\"\\x00\\x7f\"", GoStrings.quote("\u0000\u007f"));
    assertEquals("\"\u00e9\"", GoStrings.quote("\u00e9"));
    assertEquals("\"\\u200b\"", GoStrings.quote("\u200b"));
  }

  @Test
  void invalidBytesSurviveUnquoteAndQuote() {
    String s = GoStrings.unquote("\"a\\xc5z\\xff\"");
    assertTrue(!GoStrings.isValidUtf8(s));
    assertEquals("\"a\\xc5z\\xff\"", GoStrings.quote(s));
    assertTrue(GoStrings.isValidUtf8("\uD83D\uDE00 ok"));
  }
}
