package dev.promkit.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Errors read as Prometheus writes them: position, then "parse error:", then the reason. */
class ParseErrorTest {
  private static String error(String query) {
    return assertThrows(ParseException.class, () -> Parser.parse(query), query).getMessage();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
    "~~|1:1: parse error: no expression found in input",
    "1 +|1:4: parse error: unexpected end of input",
    "(1|1:3: parse error: unclosed left parenthesis",
    "1)|1:3: parse error: unexpected right parenthesis ')'",
    "(1))|1:5: parse error: unexpected right parenthesis ')'",
    "((1)|1:5: parse error: unclosed left parenthesis",
    ".|1:1: parse error: unexpected character: '.'",
    "2.5.|1:1: parse error: bad number or duration syntax: \"2.5.\"",
    "100..4|1:1: parse error: bad number or duration syntax: \"100..\"",
    "0deadbeef|1:1: parse error: bad number or duration syntax: \"0de\"",
    "1e999|1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e999\": value out of range",
    "1 offset 1d|1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
    "a - on(b) ignoring(c) d|1:11: parse error: unexpected <ignoring>",
    "@@|1:1: parse error: unexpected <op:@>",
    "{|1:2: parse error: unexpected end of input inside braces",
    "}|1:1: parse error: unexpected character: '}'",
    "]|1:1: parse error: unexpected right bracket ']'",
    "foo$|1:4: parse error: unexpected character: '$'",
    "*test|1:1: parse error: unexpected <op:*>",
    "1 == 1|1:3: parse error: comparisons between scalars must use BOOL modifier",
    "1 and 1|1:1: parse error: set operator \"and\" not allowed in binary scalar expression",
    "foo + bool bar|1:5: parse error: bool modifier can only be used on comparison operators",
    "-\"s\"|1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"string\"",
    "{}|1:1: parse error: vector selector must contain at least one non-empty matcher",
    "{x=\"\"}|1:1: parse error: vector selector must contain at least one non-empty matcher",
    "foo{__name__=\"bar\"}|1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\"",
    "rate(foo)|1:6: parse error: expected type range vector in call to function \"rate\", got instant vector",
    "floor()|1:1: parse error: expected 1 argument(s) in call to \"floor\", got 0",
    "round(a, 1, 2)|1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3",
    "label_join(a, \"b\")|1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 2",
    "nonexistent_fn()|1:1: parse error: unknown function with name \"nonexistent_fn\"",
    "rate(x[5m],)|1:11: parse error: trailing commas not allowed in function call args",
    "topk(some_metric)|1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1",
    "sum()|1:1: parse error: no arguments for aggregate expression provided",
    "count_values(5, x)|1:14: parse error: expected type string in aggregation parameter, got scalar",
    "sum(x[5m])|1:5: parse error: expected type instant vector in aggregation expression, got range vector",
    "foo + on(a) group_left(a) bar|1:5: parse error: label \"a\" must not occur in ON and GROUP clause at once",
    "foo and on(a) group_left bar|1:1: parse error: no grouping allowed for \"and\" operation",
    "sum(foo) offset 5m|1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
    "foo offset 5m offset 1m|1:1: parse error: offset may not be set multiple times",
    "foo offset 5m[5m]|1:14: parse error: no offset modifiers allowed before range",
    "foo @ 1 [5m]|1:9: parse error: no @ modifiers allowed before range",
    "(foo)[5m]|1:6: parse error: ranges only allowed for vector selectors",
    "foo @ 1 @ 2|1:1: parse error: @ <timestamp> may not be set multiple times",
    "foo @ bar|1:7: parse error: unexpected identifier \"bar\" in @, expected timestamp",
    "foo[5m:1m:]|1:10: parse error: unexpected colon ':'",
    "foo[5s x 5s]|1:8: parse error: unexpected character: 'x', expected ':'",
    "foo[5s s 5s]|1:8: parse error: unexpected character: 's', expected ':'",
    "foo[step]|1:9: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()",
    "foo[step()/0d]|1:11: parse error: division by zero",
    "foo offset 9.5e10|1:12: parse error: duration out of range",
    "1[5m] smoothed|1:2: parse error: ranges only allowed for vector selectors",
    "sum(|1:5: parse error: unclosed left parenthesis",
    "foo @ step|1:7: parse error: unexpected \"step\" in @, expected timestamp",
    "foo[:5m]|1:5: parse error: unexpected colon before duration in duration expression",
    "foo[5x]|1:5: parse error: bad number or duration syntax: \"5\"",
    "foo[bar]|1:5: parse error: unexpected character in duration expression: 'b'",
    "foo =~ bar|1:5: parse error: unexpected character after '=': '~'",
    "foo{a!b}|1:6: parse error: unexpected character after '!' inside braces: 'b'",
    "\"a\\qb\"|1:1: parse error: unknown escape sequence U+0071 'q'",
    "\"\\xZZ\"|1:1: parse error: illegal character U+005A 'Z' in escape sequence",
    "\"\\ud800\"|1:1: parse error: escape sequence is an invalid Unicode code point",
    "x[5m][10m]|1:6: parse error: ranges only allowed for vector selectors",
    "x[5m][10m:]|1:1: parse error: subquery is only allowed on instant vector, got matrix instead",
    "foo[|1:5: parse error: unexpected end of input in duration expression",
    "foo[]|1:5: parse error: unexpected \"]\" in subquery or range selector, expected number, duration, step(), or range()",
    "foo[5m|1:7: parse error: unclosed left bracket",
    "sum by (foo|1:12: parse error: unclosed left parenthesis",
    "sum by (1) (x)|1:9: parse error: unexpected number \"1\" in grouping opts, expected label",
    "sum by (\"\") (x)|1:9: parse error: invalid label name for grouping: \"\"",
    "foo[0m]|1:5: parse error: duration must be greater than 0",
    "foo[5m:0]|1:8: parse error: duration must be greater than 0",
    "foo[5y1hs]|1:5: parse error: unknown unit \"hs\" in duration \"5y1hs\"",
    "foo[5m1h]|1:5: parse error: not a valid duration string: \"5m1h\"",
    "foo[5mm]|1:5: parse error: bad number or duration syntax: \"5mm\"",
    "foo[\"5m\"]|1:5: parse error: unexpected character in duration expression: '\"'",
    "some_metric[5m] OFFSET|1:23: parse error: unexpected end of input in offset, expected number, duration, step(), or range()",
    "x[5m:bar]|1:6: parse error: unexpected character: 'b', expected ':'",
    "x[5m:1m bar|1:9: parse error: unexpected character: 'b', expected ':'",
    "foo{a b}|1:7: parse error: unexpected identifier \"b\" in label matching, expected label matching operator",
    "foo{a=}|1:7: parse error: unexpected \"}\" in label matching, expected string",
    "\"unterminated|1:1: parse error: unterminated quoted string",
    "1.5m|1:1: parse error: not a valid duration string: \"1.5m\"",
    "foo @ Inf|1:1: parse error: timestamp out of bounds for @ modifier: +Inf",
    "x[5m] anchored smoothed|1:1: parse error: anchored and smoothed modifiers cannot be used together",
    "x[5m:] anchored|1:1: parse error: anchored modifier is not supported for subqueries",
    "sum(x) smoothed|1:1: parse error: smoothed modifier not implemented",
    "a + fill(0) 1|1:1: parse error: filling in missing series only allowed between instant vectors",
    "a and fill(0) b|1:1: parse error: filling in missing series not allowed for set operators",
    "info(x, y)|1:9: parse error: expected label selectors only, got vector selector instead",
    "info(x, {a=\"b\"} + 1)|1:9: parse error: expected label selectors only",
    "foo{a=~\"(\"}|1:5: parse error: error parsing regexp: missing closing ): `(`",
    "foo !! bar|1:5: parse error: unexpected character after '!': '!'",
    "sum by (job) 1|1:14: parse error: unexpected number \"1\" in aggregation",
    "rate(x y)|1:8: parse error: unexpected identifier \"y\"",
    "x[-5m]|1:3: parse error: duration must be greater than 0",
    "x[5m:-1m]|1:6: parse error: duration must be greater than 0",
    "x[1m/0]|1:5: parse error: division by zero",
    "x offset (1m % 0)|1:14: parse error: modulo by zero"
  })
  void reportsPrometheusWording(String query, String message) {
    assertEquals(message, error(query));
  }

  private static String message(Parser parser, String query) {
    return assertThrows(ParseException.class, () -> parser.parseExpr(query)).getMessage();
  }

  @Test
  void reportsLineAndColumnOnLaterLines() {
    ParseException e = assertThrows(ParseException.class, () -> Parser.parse("foo +\n  bar +\n"));
    assertEquals("3:1: parse error: unexpected end of input", e.getMessage());
    assertEquals("unexpected end of input", e.reason());
    assertEquals("foo +\n  bar +\n", e.query());
  }

  @Test
  void columnsCountUtf8BytesLikePrometheus() {
    assertEquals("1:12: parse error: unexpected character: '$'",
        assertThrows(ParseException.class, () -> Parser.parse("foo{a=\"\u00e9\"}$"))
            .getMessage());
    assertEquals("1:4", new PositionRange(2, 2).lineColumn("\u00e9 x"));
  }

  @Test
  void experimentalSyntaxNeedsItsFeatureFlag() {
    Parser plain = new Parser();
    assertEquals("1:1: parse error: function \"sort_by_label\" is not enabled",
        assertThrows(ParseException.class, () -> plain.parseExpr("sort_by_label(x, \"a\")"))
            .getMessage());
    assertEquals("1:1: parse error: limitk() is experimental and must be enabled with"
        + " --enable-feature=promql-experimental-functions", message(plain, "limitk(1, x)"));
    assertEquals("1:6: parse error: anchored modifier is experimental and not enabled",
        message(plain, "rate(x[5m] anchored)"));
    assertEquals("1:1: parse error: smoothed modifier is experimental and not enabled",
        message(plain, "x smoothed"));
    assertEquals("1:1: parse error: binop fill modifiers are experimental and not enabled",
        message(plain, "a + fill(0) b"));
    assertEquals("1:3: parse error: experimental duration expression is not enabled",
        message(plain, "x[5m+1m]"));
    assertEquals("1:10: parse error: experimental duration expression is not enabled",
        message(plain, "x offset step()"));
    // Stable syntax still works without flags.
    plain.parseExpr("sum by (job) (rate(x[5m] offset -1m @ 100))");
    plain.parseExpr("x[10]");
    plain.parseExpr("sort(x)");
  }
}
