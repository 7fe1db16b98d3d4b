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
  private boolean gotDuration;

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
      String err = braceOpen ? insideBraces() : bracketOpen ? insideBrackets() : statements();
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
        gotDuration = false;
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
          pos = start;
          return "unexpected character after '=': " + quoteChar('~');
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
        pos = start;
        return "unexpected character after '!': " + quoteChar(peekAt(start + 1));
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
        String err = escape(quote);
        if (err != null) {
          pos = start;
          return err;
        }
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

  /**
   * Lexes one token inside brackets, where only duration expressions may appear: numbers,
   * durations, arithmetic, parentheses, commas, one colon, and the words step, range, min_of and
   * max_of. Returns an error message or null.
   */
  private String insideBrackets() {
    while (pos < in.length() && isSpace(in.charAt(pos))) {
      pos++;
    }
    int start = pos;
    if (pos >= in.length()) {
      return "unexpected end of input in duration expression";
    }
    char c = in.charAt(pos++);
    switch (c) {
      case ']':
        bracketOpen = false;
        gotColon = false;
        emit(TokenType.RIGHT_BRACKET, start);
        return null;
      case ':':
        if (!gotDuration) {
          pos = start;
          return "unexpected colon before duration in duration expression";
        }
        if (gotColon) {
          pos = start;
          return "unexpected repeated colon in duration expression";
        }
        gotColon = true;
        emit(TokenType.COLON, start);
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
      case ',':
        emit(TokenType.COMMA, start);
        return null;
      default:
        break;
    }
    if (isDigit(c) || (c == '.' && isDigit(peekAt(pos)))) {
      pos = start;
      gotDuration = true;
      return numberOrDuration(start);
    }
    if (isAlpha(c)) {
      while (pos < in.length() && (isAlpha(in.charAt(pos)) || isDigit(in.charAt(pos)))) {
        pos++;
      }
      TokenType kw = TokenType.forWord(in.substring(start, pos));
      if (kw == TokenType.STEP || kw == TokenType.RANGE || kw == TokenType.MIN_OF
          || kw == TokenType.MAX_OF) {
        gotDuration = true; // a subquery range may be step() or range() (promkit is lenient)
        emit(kw, start);
        return null;
      }
    }
    pos = start;
    return "unexpected character in duration expression: " + quoteChar(c);
  }

  /** Checks the escape after a backslash as Go's scanner does; returns an error or null. */
  private String escape(char quote) {
    if (pos >= in.length()) {
      return "escape sequence not terminated";
    }
    char c = in.charAt(pos++);
    int n;
    int base;
    int max;
    switch (c) {
      case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
        return null;
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        n = 3;
        base = 8;
        max = 255;
        pos--; // the first digit is part of the value
        break;
      case 'x':
        n = 2;
        base = 16;
        max = 255;
        break;
      case 'u':
        n = 4;
        base = 16;
        max = Character.MAX_CODE_POINT;
        break;
      case 'U':
        n = 8;
        base = 16;
        max = Character.MAX_CODE_POINT;
        break;
      default:
        if (c == quote) {
          return null;
        }
        return "unknown escape sequence " + goCharU(in.codePointAt(pos - 1));
    }
    long x = 0;
    for (int k = 0; k < n; k++) {
      if (pos >= in.length()) {
        return "escape sequence not terminated";
      }
      int d = Character.digit(in.charAt(pos), base);
      if (d < 0) {
        return "illegal character " + goCharU(in.codePointAt(pos)) + " in escape sequence";
      }
      x = x * base + d;
      pos++;
    }
    if (x > max || (x >= 0xD800 && x < 0xE000)) {
      return "escape sequence is an invalid Unicode code point";
    }
    return null;
  }

  /** Go's {@code %#U}: {@code U+0071 'q'}. */
  private static String goCharU(int cp) {
    String hex = String.format("U+%04X", cp);
    if (cp >= 0x20 && cp != 0x7F && !Character.isISOControl(cp)) {
      return hex + " '" + new String(Character.toChars(cp)) + "'";
    }
    return hex;
  }

  /** Lexes one token inside braces; returns an error message or null. */
  private String insideBraces() {
    while (pos < in.length() && (isSpace(in.charAt(pos)) || in.charAt(pos) == '#')) {
      if (in.charAt(pos) == '#') {
        while (pos < in.length() && in.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        pos++;
      }
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
        pos = start;
        return "unexpected character after '!' inside braces: " + quoteChar(peekAt(start + 1));
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
    if (c == '"') {
      return "'\"'";
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
