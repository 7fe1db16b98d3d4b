package dev.promkit.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokenisation and the token categories. */
class LexerTest {
  private static List<TokenType> types(String q) {
    List<TokenType> out = new ArrayList<>();
    for (Token t : Lexer.lex(q)) {
      out.add(t.type());
    }
    return out;
  }

  @Test
  void wordsInsideBracesAreAlwaysIdentifiers() {
    assertEquals(List.of(TokenType.SUM, TokenType.LEFT_BRACE, TokenType.IDENTIFIER, TokenType.EQL,
        TokenType.STRING, TokenType.RIGHT_BRACE, TokenType.EOF), types("sum{by=\"x\"}"));
  }

  @Test
  void colonSeparatesSubqueryInsideBracketsButBelongsToNamesOutside() {
    assertEquals(List.of(TokenType.METRIC_IDENTIFIER, TokenType.LEFT_BRACKET, TokenType.DURATION,
        TokenType.COLON, TokenType.DURATION, TokenType.RIGHT_BRACKET, TokenType.EOF),
        types("a:b[5m:1m]"));
  }

  @Test
  void keywordsAreCaseInsensitiveAndInfNanAreNumbers() {
    assertEquals(List.of(TokenType.STEP, TokenType.NUMBER, TokenType.NUMBER, TokenType.OFFSET,
        TokenType.EOF), types("STep Inf nAn OFFSET"));
  }

  @Test
  void distinguishesNumbersDurationsAndOperators() {
    assertEquals(List.of(TokenType.NUMBER, TokenType.DURATION, TokenType.NUMBER,
        TokenType.TRIM_UPPER, TokenType.LTE, TokenType.EQLC, TokenType.LEFT_BRACE,
        TokenType.IDENTIFIER, TokenType.NEQ_REGEX, TokenType.STRING, TokenType.RIGHT_BRACE,
        TokenType.EOF), types("1e3 1h30m 0x1f </ <= == {a!~'b'}"));
  }

  @Test
  void categoryMethodsSortTokens() {
    assertTrue(TokenType.ADD.isOperator());
    assertTrue(TokenType.TOPK.isAggregator());
    assertTrue(TokenType.TOPK.isAggregatorWithParam());
    assertFalse(TokenType.SUM.isAggregatorWithParam());
    assertTrue(TokenType.LIMITK.isExperimentalAggregator());
    assertTrue(TokenType.BY.isKeyword());
    assertFalse(TokenType.SUM.isKeyword());
    assertTrue(TokenType.GTE.isComparison());
    assertFalse(TokenType.ADD.isComparison());
    assertTrue(TokenType.LUNLESS.isSetOperator());
    assertFalse(TokenType.EQL_REGEX.isBinaryOperator());
    assertTrue(TokenType.POW.isRightAssociative());
    assertTrue(TokenType.POW.precedence() > TokenType.MUL.precedence());
    assertTrue(TokenType.MUL.precedence() > TokenType.ADD.precedence());
    assertTrue(TokenType.ADD.precedence() > TokenType.EQLC.precedence());
    assertTrue(TokenType.EQLC.precedence() > TokenType.LAND.precedence());
    assertTrue(TokenType.LAND.precedence() > TokenType.LOR.precedence());
  }

  @Test
  void stopsAtTheFirstLexicalError() {
    List<Token> tokens = Lexer.lex("a $ b");
    assertEquals(TokenType.ERROR, tokens.get(1).type());
    assertEquals("unexpected character: '$'", tokens.get(1).text());
    assertEquals(2, tokens.get(1).pos());
    assertEquals(TokenType.EOF, tokens.get(2).type());
  }
}
