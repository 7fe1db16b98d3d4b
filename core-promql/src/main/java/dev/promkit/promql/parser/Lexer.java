package dev.promkit.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PromQL query into tokens. Like Prometheus' lexer it tracks nesting: inside braces
 * every word is an identifier and only matcher syntax is allowed; inside brackets a colon
 * separates a subquery's range from its step instead of being part of a metric name. The first
 * lexical error ends the token list with an {@link TokenType#ERROR} token, followed by {@code EOF}.
 */
final class Lexer {

  private final String in;
  private final List<Token> out = new ArrayList<>();
  private int pos;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;
  private boolean gotDuration;
  private boolean durationMode;

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
      // Like upstream's state machine: a bracket starts in duration-expression mode, and the first
      // number switches back to statement lexing until the closing bracket.
      String err = braceOpen ? insideBraces()
          : bracketOpen && durationMode ? insideBrackets() : statements();
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
          return "unexpected right parenthesis " + quoteChar(')'); // reported after the paren
        }
        emit(TokenType.RIGHT_PAREN, start);
        return null;
      case '{':
        braceOpen = true;
        emit(TokenType.LEFT_BRACE, start);
        return null;
      case '[':
        if (bracketOpen) {
          pos = start;
          return "unexpected left bracket " + quoteChar('[');
        }
        bracketOpen = true;
        durationMode = true;
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
    if (isAlpha(c) && bracketOpen) {
      while (pos < in.length() && (isAlpha(in.charAt(pos)) || isDigit(in.charAt(pos)))) {
        pos++;
      }
      TokenType kw = TokenType.forWord(in.substring(start, pos));
      if ("sSmMrR".indexOf(c) >= 0 && (kw == TokenType.STEP || kw == TokenType.RANGE
          || kw == TokenType.MIN_OF || kw == TokenType.MAX_OF)) {
        emit(kw, start);
        return null;
      }
      pos = start;
      return "unexpected character: " + quoteChar(c) + ", expected ':'";
    }
    if (isAlpha(c)) {
      pos = start;
      return word(start, true);
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
    if ((kw == TokenType.FILL || kw == TokenType.FILL_LEFT || kw == TokenType.FILL_RIGHT)
        && !followedByLeftParen()) {
      kw = null; // fill modifiers are keywords only before "(", so "fill" stays a metric name
    }
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

  private boolean followedByLeftParen() {
    int p = pos;
    while (p < in.length() && isSpace(in.charAt(p))) {
      p++;
    }
    return p < in.length() && in.charAt(p) == '(';
  }

  private String numberOrDuration(int start) {
    if (scanNumber()) {
      emit(TokenType.NUMBER, start);
      return null;
    }
    if (acceptRemainingDuration()) {
      emit(TokenType.DURATION, start); // its units are checked when the parser reads it
      return null;
    }
    String text = in.substring(start, pos);
    pos = start;
    return "bad number or duration syntax: " + GoStrings.quote(text);
  }

  private boolean accept(String valid) {
    if (pos < in.length() && valid.indexOf(in.charAt(pos)) >= 0) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean is(String valid) {
    return pos < in.length() && valid.indexOf(in.charAt(pos)) >= 0;
  }

  private static final String DEC = "0123456789";
  private static final String HEX = "0123456789abcdefABCDEF";

  /**
   * Scans a number with Prometheus' rules: optional {@code 0x} prefix, one dot, one exponent,
   * underscores between digits; false if the text is malformed or runs into a letter.
   */
  private boolean scanNumber() {
    int initial = pos;
    String digits = DEC;
    if (accept("0") && accept("xX")) {
      accept("_");
      digits = HEX;
    }
    accept(".");
    accept(digits);
    boolean dot = false;
    boolean exponent = false;
    while (is(digits + "._eE")) {
      if (is(".") && dot) {
        accept(".");
        return false;
      }
      if (is("eE") && exponent) {
        accept("eE");
        return false;
      }
      if (accept(".")) {
        dot = true;
        if (accept("_.") || digits == HEX) { // no fractional hexadecimal literals
          return false;
        }
        continue;
      }
      if (accept("eE")) { // also in hex literals, as upstream's scanner does
        exponent = true;
        accept("+-");
        if (accept("._eE") || pos >= in.length()) {
          return false;
        }
        continue;
      }
      if (accept("_")) {
        if (accept("._eE") || pos >= in.length()) {
          return false;
        }
        continue;
      }
      while (accept(digits)) {
        // consume the run
      }
    }
    if (pos == initial) {
      return false;
    }
    char next = peekAt(pos);
    return !isAlpha(next) && !isDigit(next);
  }

  /** After a number that ran into a letter: a duration unit, more number-unit pairs, then a non-alphanumeric. */
  private boolean acceptRemainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s");
    while (accept(DEC)) {
      while (accept(DEC)) {
        // consume the run
      }
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    if (pos < in.length() && (isAlpha(in.charAt(pos)) || isDigit(in.charAt(pos)))) {
      pos++; // the offending character is part of the reported text
      return false;
    }
    return true;
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
          return "unexpected right parenthesis " + quoteChar(')'); // reported after the paren
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
      durationMode = false;
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
