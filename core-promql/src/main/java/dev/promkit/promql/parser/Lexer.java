package dev.promkit.promql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a PromQL query into tokens. Like Prometheus' lexer it tracks nesting: inside braces
 * every word is an identifier and only matcher syntax is allowed; inside brackets a colon
 * separates a subquery's range from its step instead of being part of a metric name. The first
 * lexical error ends the token list with an {@link TokenType#ERROR} token, followed by {@code EOF}.
 */
final class Lexer {
  private static final Pattern DURATION =
      Pattern.compile("(\\d+y)?(\\d+w)?(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?");

  private final String in;
  private final List<Token> out = new ArrayList<>();
  private int pos;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;

  private Lexer(String in) {
    this.in = in;
  }

  /** All tokens of a query, ending with EOF (after an ERROR token if lexing failed). */
  static List<Token> lex(String query) {
    Lexer l = new Lexer(query);
    l.run();
    return l.out;
  }

  private void run() {
    while (true) {
      String err = braceOpen ? insideBraces() : statements();
      if (err != null) {
        out.add(new Token(TokenType.ERROR, err, Math.min(pos, in.length()), in.length()));
        out.add(new Token(TokenType.EOF, "", in.length(), in.length()));
        return;
      }
      if (!out.isEmpty() && out.get(out.size() - 1).type() == TokenType.EOF) {
        return;
      }
    }
  }

  private void emit(TokenType t, int start) {
    out.add(new Token(t, in.substring(start, pos), start, pos));
  }

  private char peekAt(int i) {
    return i < in.length() ? in.charAt(i) : '\0';
  }

  /** Lexes one token outside braces; returns an error message or null. */
  private String statements() {
    skipSpaceAndComments();
    int start = pos;
    if (pos >= in.length()) {
      if (parenDepth != 0) {
        return "unclosed left parenthesis";
      }
      if (bracketOpen) {
        return "unclosed left bracket";
      }
      out.add(new Token(TokenType.EOF, "", pos, pos));
      return null;
    }
    char c = in.charAt(pos);
    pos++;
    switch (c) {
      case ',':
        emit(TokenType.COMMA, start);
        return null;
      case '(':
        parenDepth++;
        emit(TokenType.LEFT_PAREN, start);
        return null;
      case ')':
        parenDepth--;
        if (parenDepth < 0) {
          pos = start;
          return "unexpected right parenthesis " + quoteChar(')');
        }
        emit(TokenType.RIGHT_PAREN, start);
        return null;
      case '{':
        braceOpen = true;
        emit(TokenType.LEFT_BRACE, start);
        return null;
      case '}':
        pos = start;
        return "unexpected right brace " + quoteChar('}');
      case '[':
        if (bracketOpen) {
          pos = start;
          return "unexpected left bracket " + quoteChar('[');
        }
        bracketOpen = true;
        gotColon = false;
        emit(TokenType.LEFT_BRACKET, start);
        return null;
      case ']':
        if (!bracketOpen) {
          pos = start;
          return "unexpected right bracket " + quoteChar(']');
        }
        bracketOpen = false;
        emit(TokenType.RIGHT_BRACKET, start);
        return null;
      case '=':
        if (peekAt(pos) == '=') {
          pos++;
          emit(TokenType.EQLC, start);
        } else if (peekAt(pos) == '~') {
          pos++;
          emit(TokenType.EQL_REGEX, start);
        } else {
          emit(TokenType.EQL, start);
        }
        return null;
      case '!':
        if (peekAt(pos) == '=') {
          pos++;
          emit(TokenType.NEQ, start);
          return null;
        }
        if (peekAt(pos) == '~') {
          pos++;
          emit(TokenType.NEQ_REGEX, start);
          return null;
        }
        return "unexpected character after '!': " + quoteChar(peekAt(pos));
      case '<':
        if (peekAt(pos) == '/') {
          pos++;
          emit(TokenType.TRIM_UPPER, start);
        } else if (peekAt(pos) == '=') {
          pos++;
          emit(TokenType.LTE, start);
        } else {
          emit(TokenType.LSS, start);
        }
        return null;
      case '>':
        if (peekAt(pos) == '/') {
          pos++;
          emit(TokenType.TRIM_LOWER, start);
        } else if (peekAt(pos) == '=') {
          pos++;
          emit(TokenType.GTE, start);
        } else {
          emit(TokenType.GTR, start);
        }
        return null;
      case '+':
        emit(TokenType.ADD, start);
        return null;
      case '-':
        emit(TokenType.SUB, start);
        return null;
      case '*':
        emit(TokenType.MUL, start);
        return null;
      case '/':
        emit(TokenType.DIV, start);
        return null;
      case '%':
        emit(TokenType.MOD, start);
        return null;
      case '^':
        emit(TokenType.POW, start);
        return null;
      case '@':
        emit(TokenType.AT, start);
        return null;
      case '"':
      case '\'':
      case '`':
        return string(c, start);
      default:
        break;
    }
    if (c == ':') {
      if (bracketOpen) {
        if (gotColon) {
          pos = start;
          return "unexpected colon " + quoteChar(':');
        }
        gotColon = true;
        emit(TokenType.COLON, start);
        return null;
      }
      pos = start;
      return word(start, true);
    }
    if (isDigit(c) || (c == '.' && isDigit(peekAt(pos)))) {
      pos = start;
      return numberOrDuration(start);
    }
    if (isAlpha(c)) {
      pos = start;
      return word(start, !bracketOpen);
    }
    pos = start;
    return "unexpected character: " + quoteChar(c);
  }

  private String word(int start, boolean colons) {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (isAlpha(c) || isDigit(c) || (colons && c == ':')) {
        pos++;
      } else {
        break;
      }
    }
    String w = in.substring(start, pos);
    TokenType kw = TokenType.forWord(w);
    if (kw != null) {
      emit(kw, start);
    } else if (w.equalsIgnoreCase("inf") || w.equalsIgnoreCase("nan")) {
      emit(TokenType.NUMBER, start);
    } else if (w.indexOf(':') >= 0) {
      emit(TokenType.METRIC_IDENTIFIER, start);
    } else {
      emit(TokenType.IDENTIFIER, start);
    }
    return null;
  }

  private String numberOrDuration(int start) {
    scanNumber();
    char next = peekAt(pos);
    if (!isAlpha(next) && !isDigit(next)) {
      emit(TokenType.NUMBER, start);
      return null;
    }
    // A unit follows: take the rest of the alphanumeric run and check it is a duration.
    while (pos < in.length() && (isAlpha(in.charAt(pos)) || isDigit(in.charAt(pos)))) {
      pos++;
    }
    String text = in.substring(start, pos);
    if (!text.isEmpty() && DURATION.matcher(text).matches() && !text.equals("0")) {
      emit(TokenType.DURATION, start);
      return null;
    }
    pos = start;
    return "bad number or duration syntax: " + GoStrings.quote(text);
  }

  private void scanNumber() {
    if (peekAt(pos) == '0' && (peekAt(pos + 1) == 'x' || peekAt(pos + 1) == 'X')) {
      pos += 2;
      while (Character.digit(peekAt(pos), 16) >= 0 || peekAt(pos) == '_') {
        pos++;
      }
      return;
    }
    while (isDigit(peekAt(pos)) || peekAt(pos) == '_') {
      pos++;
    }
    if (peekAt(pos) == '.') {
      pos++;
      while (isDigit(peekAt(pos)) || peekAt(pos) == '_') {
        pos++;
      }
    }
    char e = peekAt(pos);
    if (e == 'e' || e == 'E') {
      int save = pos;
      pos++;
      if (peekAt(pos) == '+' || peekAt(pos) == '-') {
        pos++;
      }
      if (!isDigit(peekAt(pos))) {
        pos = save; // not an exponent; the caller sees the letter
        return;
      }
      while (isDigit(peekAt(pos)) || peekAt(pos) == '_') {
        pos++;
      }
    }
  }

  private String string(char quote, int start) {
    while (pos < in.length()) {
      char c = in.charAt(pos++);
      if (quote != '`' && c == '\\') {
        if (pos >= in.length()) {
          break;
        }
        pos++;
        continue;
      }
      if (quote != '`' && c == '\n') {
        pos = start;
        return "unterminated quoted string";
      }
      if (c == quote) {
        emit(TokenType.STRING, start);
        return null;
      }
    }
    pos = start;
    return quote == '`' ? "unterminated raw string" : "unterminated quoted string";
  }

  /** Lexes one token inside braces; returns an error message or null. */
  private String insideBraces() {
    while (pos < in.length() && isSpace(in.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (pos >= in.length()) {
      return "unexpected end of input inside braces";
    }
    char c = in.charAt(pos++);
    if (isAlpha(c)) {
      while (pos < in.length() && (isAlpha(in.charAt(pos)) || isDigit(in.charAt(pos)))) {
        pos++;
      }
      emit(TokenType.IDENTIFIER, start);
      return null;
    }
    switch (c) {
      case ',':
        emit(TokenType.COMMA, start);
        return null;
      case '"':
      case '\'':
      case '`':
        return string(c, start);
      case '=':
        if (peekAt(pos) == '~') {
          pos++;
          emit(TokenType.EQL_REGEX, start);
        } else {
          emit(TokenType.EQL, start);
        }
        return null;
      case '!':
        if (peekAt(pos) == '~') {
          pos++;
          emit(TokenType.NEQ_REGEX, start);
          return null;
        }
        if (peekAt(pos) == '=') {
          pos++;
          emit(TokenType.NEQ, start);
          return null;
        }
        return "unexpected character inside braces: " + quoteChar(c);
      case '{':
        pos = start;
        return "unexpected left brace " + quoteChar('{');
      case '}':
        braceOpen = false;
        emit(TokenType.RIGHT_BRACE, start);
        return null;
      default:
        pos = start;
        return "unexpected character inside braces: " + quoteChar(c);
    }
  }

  private void skipSpaceAndComments() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < in.length() && in.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private static String quoteChar(char c) {
    if (c == '\'') {
      return "'\\''";
    }
    String q = GoStrings.quote(String.valueOf(c));
    return "'" + q.substring(1, q.length() - 1) + "'";
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlpha(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
