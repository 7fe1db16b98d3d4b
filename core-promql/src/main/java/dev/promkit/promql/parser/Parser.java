package dev.promkit.promql.parser;

import dev.promkit.tsdb.regex.Re2SyntaxException;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.PatternSyntaxException;

/**
 * A hand-written recursive-descent PromQL parser with precedence climbing for binary operators.
 * It accepts Prometheus 3.x syntax (duration expressions, {@code anchored}/{@code smoothed},
 * {@code fill} modifiers, UTF-8 quoted names) as far as its {@link ParserOptions} allow, then
 * type-checks the tree as Prometheus' {@code checkAST} does. A parser is immutable and may be
 * shared between threads.
 *
 * <pre>{@code
 * Expr e = new Parser(ParserOptions.allEnabled()).parseExpr("sum by (job) (rate(x[5m]))");
 * }</pre>
 */
public final class Parser {
  private final ParserOptions options;

  /** A parser with the given feature switches. */
  public Parser(ParserOptions options) {
    this.options = options;
  }

  /** A parser with every feature switched off, like Prometheus without feature flags. */
  public Parser() {
    this(ParserOptions.defaults());
  }

  /**
   * Parses and type-checks one expression.
   *
   * @throws ParseException naming the first problem and where it is
   */
  public Expr parseExpr(String query) {
    Run run = new Run(query, options);
    Expr e = run.parseTop();
    new Checker(query).check(e);
    return e;
  }

  /**
   * Parses a series selector such as {@code up{job="api"}} or {@code {__name__=~"http_.*"}} (the
   * HTTP API's {@code match[]}), returning its matchers with the name matcher last.
   *
   * @throws ParseException if the text is not exactly one selector without modifiers, or selects
   *     everything
   */
  public List<LabelMatcher> parseMetricSelector(String selector) {
    Run run = new Run(selector, options);
    VectorSelector vs = run.parseSelectorTop();
    new Checker(selector).check(vs);
    return vs.matchers();
  }

  /** Parses with all features enabled (convenient for tests and the conformance corpus). */
  public static Expr parse(String query) {
    return new Parser(ParserOptions.allEnabled()).parseExpr(query);
  }

  /** One parse: the token cursor and the recursive-descent methods. */
  private static final class Run {
    private final String query;
    private final ParserOptions options;
    private final List<Token> tokens;
    private int i;
    /** Where a duration expression is being read, for "unexpected ... in X" messages. */
    private String durationContext = "subquery or range selector";

    Run(String query, ParserOptions options) {
      this.query = query;
      this.options = options;
      this.tokens = Lexer.lex(query);
    }

    private Token peek() {
      return tokens.get(i);
    }

    private Token peek(int ahead) {
      return tokens.get(Math.min(i + ahead, tokens.size() - 1));
    }

    private Token next() {
      Token t = tokens.get(i);
      if (t.type() == TokenType.ERROR) {
        throw error(t.range(), t.text());
      }
      if (i < tokens.size() - 1) {
        i++;
      }
      return t;
    }

    private ParseException error(PositionRange r, String msg) {
      return new ParseException(r, query, msg);
    }

    /** Prometheus' "unexpected X in context, expected Y" for the current token. */
    private ParseException unexpected(String context, String expected) {
      Token t = peek();
      if (t.type() == TokenType.ERROR) {
        return error(t.range(), t.text());
      }
      StringBuilder sb = new StringBuilder("unexpected ").append(t.describe());
      if (context != null && !context.isEmpty()) {
        sb.append(" in ").append(context);
      }
      if (expected != null && !expected.isEmpty()) {
        sb.append(", expected ").append(expected);
      }
      return error(t.range(), sb.toString());
    }

    private Token expect(TokenType type, String context, String expected) {
      if (peek().type() != type) {
        throw unexpected(context, expected);
      }
      return next();
    }

    Expr parseTop() {
      if (peek().type() == TokenType.EOF) {
        throw error(PositionRange.NONE, "no expression found in input");
      }
      Expr e = parseExpr(1);
      if (peek().type() != TokenType.EOF) {
        throw unexpected("", "");
      }
      return e;
    }

    VectorSelector parseSelectorTop() {
      Token t = peek();
      Expr e;
      if (t.type() == TokenType.LEFT_BRACE) {
        e = parseVectorSelector(null);
      } else if (t.type() == TokenType.IDENTIFIER || t.type() == TokenType.METRIC_IDENTIFIER
          || t.type().isAggregator() || isWordUsableAsMetricName(t.type())) {
        e = parseVectorSelector(next());
      } else {
        throw unexpected("", "");
      }
      if (peek().type() != TokenType.EOF) {
        throw unexpected("", "");
      }
      return (VectorSelector) e;
    }

    // ---- operators -------------------------------------------------------------------------

    private Expr parseExpr(int minPrec) {
      Expr lhs = parseUnary();
      while (true) {
        Token t = peek();
        TokenType op = t.type();
        int prec = op.precedence();
        if (prec == 0 || prec < minPrec) {
          return lhs;
        }
        next();
        Modifiers m = parseBinModifiers();
        Expr rhs = parseExpr(op.isRightAssociative() ? prec : prec + 1);
        lhs = newBinary(op, lhs, rhs, m);
      }
    }

    private static final class Modifiers {
      boolean returnBool;
      boolean matchingGiven;
      boolean on;
      List<String> matching = List.of();
      VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
      List<String> include = List.of();
      Double fillLeft;
      Double fillRight;
      PositionRange fillRange;
    }

    private Modifiers parseBinModifiers() {
      Modifiers m = new Modifiers();
      if (peek().type() == TokenType.BOOL) {
        next();
        m.returnBool = true;
      }
      TokenType t = peek().type();
      if (t == TokenType.ON || t == TokenType.IGNORING) {
        next();
        m.matchingGiven = true;
        m.on = t == TokenType.ON;
        m.matching = parseGroupingLabels();
        TokenType g = peek().type();
        if (g == TokenType.GROUP_LEFT || g == TokenType.GROUP_RIGHT) {
          next();
          m.card = g == TokenType.GROUP_LEFT
              ? VectorMatching.Cardinality.MANY_TO_ONE
              : VectorMatching.Cardinality.ONE_TO_MANY;
          if (peek().type() == TokenType.LEFT_PAREN) {
            m.include = parseGroupingLabels();
          }
        }
      }
      while (isFill(peek().type()) && peek(1).type() == TokenType.LEFT_PAREN) {
        Token kw = next();
        next();
        double v = parseSignedNumber("fill modifier");
        Token close = expect(TokenType.RIGHT_PAREN, "fill modifier", "\")\"");
        PositionRange r = new PositionRange(kw.pos(), close.end());
        m.fillRange = m.fillRange == null ? r : m.fillRange.merge(r);
        if (kw.type() == TokenType.FILL) {
          if (m.fillLeft != null || m.fillRight != null) {
            throw error(r, "fill modifier may not be set multiple times");
          }
          m.fillLeft = v;
          m.fillRight = v;
        } else if (kw.type() == TokenType.FILL_LEFT) {
          if (m.fillLeft != null) {
            throw error(r, "fill_left modifier may not be set multiple times");
          }
          m.fillLeft = v;
        } else {
          if (m.fillRight != null) {
            throw error(r, "fill_right modifier may not be set multiple times");
          }
          m.fillRight = v;
        }
      }
      return m;
    }

    private static boolean isFill(TokenType t) {
      return t == TokenType.FILL || t == TokenType.FILL_LEFT || t == TokenType.FILL_RIGHT;
    }

    private double parseSignedNumber(String context) {
      boolean neg = false;
      if (peek().type() == TokenType.ADD || peek().type() == TokenType.SUB) {
        neg = next().type() == TokenType.SUB;
      }
      Token t = peek();
      double v;
      if (t.type() == TokenType.NUMBER) {
        v = parseNumber(next());
      } else if (t.type() == TokenType.DURATION) {
        v = parseDurationMs(next()) / 1000.0;
      } else {
        throw unexpected(context, "number");
      }
      return neg ? -v : v;
    }

    private Expr newBinary(TokenType op, Expr lhs, Expr rhs, Modifiers m) {
      PositionRange r = lhs.positionRange().merge(rhs.positionRange());
      boolean vectors = lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR;
      VectorMatching vm = null;
      if (vectors) {
        VectorMatching.Cardinality card = m.card;
        if (op.isSetOperator() && card == VectorMatching.Cardinality.ONE_TO_ONE) {
          card = VectorMatching.Cardinality.MANY_TO_MANY;
        }
        vm = new VectorMatching(card, m.matching, m.on, m.include, m.fillLeft, m.fillRight);
      } else if (!m.matching.isEmpty() && isVectorOrScalar(lhs) && isVectorOrScalar(rhs)) {
        throw error(r, "vector matching only allowed between instant vectors");
      }
      if (m.fillRange != null) {
        if (!options.enableBinopFillModifiers()) {
          throw error(r, "binop fill modifiers are experimental and not enabled");
        }
        if (!vectors && isVectorOrScalar(lhs) && isVectorOrScalar(rhs)) {
          throw error(r, "filling in missing series only allowed between instant vectors");
        }
        if (op.isSetOperator()) {
          throw error(r, "filling in missing series not allowed for set operators");
        }
      }
      if (vm != null && op.isSetOperator() && vectors) {
        if (m.card == VectorMatching.Cardinality.MANY_TO_ONE
            || m.card == VectorMatching.Cardinality.ONE_TO_MANY) {
          throw error(r, "no grouping allowed for " + GoStrings.quote(op.text()) + " operation");
        }
      }
      return new BinaryExpr(op, lhs, rhs, vm, m.returnBool, r);
    }

    private static boolean isVectorOrScalar(Expr e) {
      return e.type() == ValueType.VECTOR || e.type() == ValueType.SCALAR;
    }

    private Expr parseUnary() {
      TokenType t = peek().type();
      if (t == TokenType.ADD || t == TokenType.SUB) {
        Token op = next();
        Expr operand = parseExpr(TokenType.POW.precedence());
        PositionRange r = new PositionRange(op.pos(), operand.positionRange().end());
        if (operand instanceof NumberLiteral) {
          double v = ((NumberLiteral) operand).value();
          return new NumberLiteral(t == TokenType.SUB ? -v : v, r);
        }
        return new UnaryExpr(t, operand, r);
      }
      return parsePostfix(parsePrimary());
    }

    // ---- primaries ---------------------------------------------------------------------------

    private Expr parsePrimary() {
      Token t = peek();
      switch (t.type()) {
        case NUMBER:
          next();
          return new NumberLiteral(parseNumber(t), t.range());
        case DURATION:
          next();
          return new NumberLiteral(parseDurationMs(t) / 1000.0, t.range());
        case STRING:
          next();
          return new StringLiteral(unquote(t), t.range());
        case LEFT_PAREN: {
          next();
          Expr inner = parseExpr(1);
          Token close = peek();
          if (close.type() != TokenType.RIGHT_PAREN) {
            throw unexpected("", "");
          }
          next();
          return new ParenExpr(inner, new PositionRange(t.pos(), close.end()));
        }
        case LEFT_BRACE:
          return parseVectorSelector(null);
        case IDENTIFIER:
          if (peek(1).type() == TokenType.LEFT_PAREN) {
            return parseCall();
          }
          return parseVectorSelector(next());
        case METRIC_IDENTIFIER:
          return parseVectorSelector(next());
        case EOF:
        case ERROR:
          throw unexpected("", "");
        default:
          break;
      }
      TokenType type = t.type();
      if (type.isAggregator()) {
        TokenType after = peek(1).type();
        if (after == TokenType.LEFT_PAREN || after == TokenType.BY
            || after == TokenType.WITHOUT) {
          return parseAggregation();
        }
        return parseVectorSelector(next());
      }
      if (type.isPreprocessor() && peek(1).type() == TokenType.LEFT_PAREN) {
        return parseCall();
      }
      if (isWordUsableAsMetricName(type)) {
        return parseVectorSelector(next());
      }
      throw unexpected("", "");
    }

    private static boolean isWordUsableAsMetricName(TokenType t) {
      if (t.text() == null || !Character.isLetter(t.text().charAt(0))) {
        return false;
      }
      switch (t) {
        case BOOL:
        case ON:
        case IGNORING:
        case GROUP_LEFT:
        case GROUP_RIGHT:
        case ATAN2:
          return false;
        default:
          return true;
      }
    }

    private Expr parseCall() {
      Token name = next();
      next(); // (
      List<Expr> args = new ArrayList<>();
      Token close;
      if (peek().type() == TokenType.RIGHT_PAREN) {
        close = next();
      } else {
        while (true) {
          args.add(parseExpr(1));
          if (peek().type() == TokenType.COMMA) {
            Token comma = next();
            if (peek().type() == TokenType.RIGHT_PAREN) {
              throw error(comma.range(), "trailing commas not allowed in function call args");
            }
            continue;
          }
          if (peek().type() != TokenType.RIGHT_PAREN) {
            throw unexpected("", "");
          }
          close = next();
          break;
        }
      }
      Function f = Function.byName(name.text());
      if (f == null) {
        throw error(name.range(), "unknown function with name " + GoStrings.quote(name.text()));
      }
      if (f.isExperimental() && !options.enableExperimentalFunctions()) {
        throw error(name.range(), "function " + GoStrings.quote(name.text()) + " is not enabled");
      }
      return new Call(f, args, new PositionRange(name.pos(), close.end()));
    }

    private Expr parseAggregation() {
      Token op = next();
      List<String> grouping = List.of();
      boolean without = false;
      boolean groupingSeen = false;
      if (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT) {
        without = next().type() == TokenType.WITHOUT;
        grouping = parseGroupingLabels();
        groupingSeen = true;
      }
      if (peek().type() != TokenType.LEFT_PAREN) {
        throw unexpected("aggregation", "");
      }
      next();
      List<Expr> args = new ArrayList<>();
      Token close;
      if (peek().type() == TokenType.RIGHT_PAREN) {
        close = next();
      } else {
        while (true) {
          args.add(parseExpr(1));
          if (peek().type() == TokenType.COMMA) {
            Token comma = next();
            if (peek().type() == TokenType.RIGHT_PAREN) {
              throw error(comma.range(), "trailing commas not allowed in function call args");
            }
            continue;
          }
          if (peek().type() != TokenType.RIGHT_PAREN) {
            throw unexpected("", "");
          }
          close = next();
          break;
        }
      }
      int end = close.end();
      if (!groupingSeen
          && (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT)) {
        without = next().type() == TokenType.WITHOUT;
        grouping = parseGroupingLabels();
        end = tokens.get(i - 1).end();
      }
      PositionRange r = new PositionRange(op.pos(), end);
      TokenType type = op.type();
      if (type.isExperimentalAggregator() && !options.enableExperimentalFunctions()) {
        throw error(r, type.text() + "() is experimental and must be enabled with"
            + " --enable-feature=promql-experimental-functions");
      }
      if (args.isEmpty()) {
        throw error(r, "no arguments for aggregate expression provided");
      }
      int want = type.isAggregatorWithParam() ? 2 : 1;
      if (args.size() != want) {
        throw error(r, "wrong number of arguments for aggregate expression provided, expected "
            + want + ", got " + args.size());
      }
      Expr param = want == 2 ? args.get(0) : null;
      Expr expr = args.get(want - 1);
      return new AggregateExpr(type, expr, param, grouping, without, r);
    }

    private List<String> parseGroupingLabels() {
      if (peek().type() != TokenType.LEFT_PAREN) {
        throw unexpected("grouping opts", "\"(\"");
      }
      next();
      List<String> labels = new ArrayList<>();
      while (true) {
        Token t = peek();
        if (t.type() == TokenType.RIGHT_PAREN) {
          next();
          return labels;
        }
        if (t.type() == TokenType.STRING) {
          next();
          String name = unquote(t);
          if (name.isEmpty() || !GoStrings.isValidUtf8(name)) {
            throw error(t.range(), "invalid label name for grouping: " + GoStrings.quote(name));
          }
          labels.add(name);
        } else if (t.type() == TokenType.IDENTIFIER || t.type() == TokenType.METRIC_IDENTIFIER
            || (t.type().text() != null && Character.isLetter(t.type().text().charAt(0)))) {
          next();
          labels.add(t.text());
        } else {
          throw unexpected("grouping opts", "label");
        }
        if (peek().type() == TokenType.COMMA) {
          next();
        } else if (peek().type() != TokenType.RIGHT_PAREN) {
          throw unexpected("grouping opts", "\",\" or \")\"");
        }
      }
    }

    // ---- selectors ---------------------------------------------------------------------------

    private VectorSelector parseVectorSelector(Token name) {
      List<LabelMatcher> matchers = new ArrayList<>();
      int start = name != null ? name.pos() : peek().pos();
      int end = name != null ? name.end() : peek().pos();
      if (peek().type() == TokenType.LEFT_BRACE) {
        next();
        while (true) {
          Token t = peek();
          if (t.type() == TokenType.RIGHT_BRACE) {
            end = next().end();
            break;
          }
          matchers.add(parseMatcher());
          if (peek().type() == TokenType.COMMA) {
            next();
          } else if (peek().type() != TokenType.RIGHT_BRACE) {
            throw unexpected("label matching", "\",\" or \"}\"");
          }
        }
      }
      String metric = name != null ? name.text() : "";
      if (!metric.isEmpty()) {
        matchers.add(LabelMatcher.eq("__name__", metric));
      }
      return VectorSelector.of(metric, matchers, new PositionRange(start, end));
    }

    private LabelMatcher parseMatcher() {
      Token label = peek();
      String name;
      if (label.type() == TokenType.IDENTIFIER) {
        name = next().text();
      } else if (label.type() == TokenType.STRING) {
        next();
        name = unquote(label);
        TokenType after = peek().type();
        if (after == TokenType.COMMA || after == TokenType.RIGHT_BRACE) {
          return LabelMatcher.eq("__name__", name); // {"my.metric"}
        }
      } else {
        throw unexpected("label matching", "identifier or \"}\"");
      }
      Token op = peek();
      LabelMatcher.Type type;
      switch (op.type()) {
        case EQL:
          type = LabelMatcher.Type.EQ;
          break;
        case NEQ:
          type = LabelMatcher.Type.NEQ;
          break;
        case EQL_REGEX:
          type = LabelMatcher.Type.RE;
          break;
        case NEQ_REGEX:
          type = LabelMatcher.Type.NRE;
          break;
        default:
          throw unexpected("label matching", "label matching operator");
      }
      next();
      Token value = peek();
      if (value.type() != TokenType.STRING) {
        throw unexpected("label matching", "string");
      }
      next();
      String v = unquote(value);
      try {
        return LabelMatcher.of(type, name, v);
      } catch (PatternSyntaxException e) {
        // Go's text (Re2SyntaxException writes it); a translation Java still rejects keeps Go's form
        throw error(new PositionRange(label.pos(), value.end()), e instanceof Re2SyntaxException
            ? e.getMessage() : "error parsing regexp: " + e.getDescription() + ": `" + v + "`");
      }
    }

    // ---- postfix modifiers -------------------------------------------------------------------

    private Expr parsePostfix(Expr e) {
      while (true) {
        TokenType t = peek().type();
        if (t == TokenType.LEFT_BRACKET) {
          e = parseRangeOrSubquery(e);
        } else if (t == TokenType.OFFSET) {
          e = parseOffset(e);
        } else if (t == TokenType.AT) {
          e = parseAt(e);
        } else if (t == TokenType.ANCHORED || t == TokenType.SMOOTHED) {
          e = parseMode(e);
        } else {
          return e;
        }
      }
    }

    private Expr parseRangeOrSubquery(Expr e) {
      Token open = next();
      durationContext = "subquery or range selector";
      if (!startsDuration(peek().type())) {
        throw unexpected("subquery or range selector", DURATION_EXPECTED);
      }
      DurationExpr range = parseDurationExpr(1);
      if (peek().type() == TokenType.COLON) {
        next();
        DurationExpr step = null;
        if (peek().type() != TokenType.RIGHT_BRACKET) {
          if (!startsDuration(peek().type())) {
            throw unexpected("subquery selector", "number, duration, step(), range(), or \"]\"");
          }
          step = parseDurationExpr(1);
        }
        if (peek().type() != TokenType.RIGHT_BRACKET) {
          throw unexpected("subquery selector", "\"]\"");
        }
        Token close = next();
        long rangeMs = durationValue(range, false);
        long stepMs = step == null ? 0 : durationValue(step, false);
        return new SubqueryExpr(e, rangeMs, keepExpr(range), stepMs,
            step == null ? null : keepExpr(step), 0, null, null, null,
            new PositionRange(e.positionRange().start(), close.end()));
      }
      if (peek().type() != TokenType.RIGHT_BRACKET) {
        throw unexpected("subquery or range", "\":\" or \"]\"");
      }
      Token close = next();
      PositionRange brackets = new PositionRange(open.pos(), close.end());
      if (!(e instanceof VectorSelector)) {
        throw error(brackets, "ranges only allowed for vector selectors");
      }
      VectorSelector vs = (VectorSelector) e;
      if (vs.offsetMs() != 0 || vs.offsetExpr() != null) {
        throw error(brackets, "no offset modifiers allowed before range");
      }
      if (vs.hasAt()) {
        throw error(brackets, "no @ modifiers allowed before range");
      }
      long rangeMs = durationValue(range, false);
      return new MatrixSelector(vs, rangeMs, keepExpr(range),
          new PositionRange(vs.positionRange().start(), close.end()));
    }

    private static boolean startsDuration(TokenType t) {
      return t == TokenType.NUMBER || t == TokenType.DURATION || t == TokenType.LEFT_PAREN
          || t == TokenType.ADD || t == TokenType.SUB || t == TokenType.STEP
          || t == TokenType.RANGE || t == TokenType.MIN_OF || t == TokenType.MAX_OF;
    }

    /** Null for a plain literal (its value is all there is), else the expression. */
    private DurationExpr keepExpr(DurationExpr d) {
      if (d instanceof DurationExpr.Literal) {
        return null;
      }
      if (!options.enableDurationExpressions() && needsFeature(d)) {
        throw error(d.positionRange(), "experimental duration expression is not enabled");
      }
      return d;
    }

    /** Parentheses and signs around literals are stable syntax; the rest is experimental. */
    private static boolean needsFeature(DurationExpr d) {
      if (d instanceof DurationExpr.Paren) {
        return needsFeature(((DurationExpr.Paren) d).expr());
      }
      if (d instanceof DurationExpr.Unary) {
        return needsFeature(((DurationExpr.Unary) d).expr());
      }
      return !(d instanceof DurationExpr.Literal);
    }

    /** The constant value in ms, or 0 if it depends on the query. */
    private long durationValue(DurationExpr d, boolean allowNegative) {
      if (d instanceof DurationExpr.Literal) {
        double s = ((DurationExpr.Literal) d).seconds();
        if (!allowNegative && s <= 0) {
          throw error(d.positionRange(), "duration must be greater than 0");
        }
        // As Go: round to nanoseconds (time.Duration), then truncate to milliseconds.
        return Math.round(s * 1e9) / 1_000_000;
      }
      if (!d.isConstant()) {
        return 0;
      }
      try {
        return d.toMillis(0, 0, allowNegative);
      } catch (IllegalArgumentException ex) {
        throw error(d.positionRange(), ex.getMessage());
      }
    }

    private Expr parseOffset(Expr e) {
      Token kw = next();
      durationContext = "offset";
      DurationExpr d;
      TokenType t = peek().type();
      if (t == TokenType.ADD || t == TokenType.SUB) {
        Token sign = next();
        d = signed(sign, parseOffsetOperand());
      } else {
        d = parseOffsetOperand();
      }
      long ms = durationValue(d, true);
      DurationExpr kept = keepExpr(d); // null for plain "offset 5m" / "offset -5m"
      int end = tokens.get(i - 1).end();
      if (e instanceof VectorSelector) {
        VectorSelector vs = (VectorSelector) e;
        checkOffsetUnset(vs.offsetMs(), vs.offsetExpr(), e);
        return vs.withOffset(ms, kept).withPositionRange(extend(vs.positionRange(), end));
      }
      if (e instanceof MatrixSelector) {
        MatrixSelector m = (MatrixSelector) e;
        VectorSelector vs = m.vectorSelector();
        checkOffsetUnset(vs.offsetMs(), vs.offsetExpr(), e);
        return new MatrixSelector(vs.withOffset(ms, kept), m.rangeMs(), m.rangeExpr(),
            extend(m.positionRange(), end));
      }
      if (e instanceof SubqueryExpr) {
        SubqueryExpr s = (SubqueryExpr) e;
        checkOffsetUnset(s.offsetMs(), s.offsetExpr(), e);
        SubqueryExpr n = s.withOffset(ms, kept);
        return new SubqueryExpr(n.expr(), n.rangeMs(), n.rangeExpr(), n.stepMs(), n.stepExpr(),
            n.offsetMs(), n.offsetExpr(), n.timestampMs(), n.startOrEnd(),
            extend(n.positionRange(), end));
      }
      throw error(new PositionRange(e.positionRange().start(), kw.end()),
          "offset modifier must be preceded by an instant vector selector or range vector"
              + " selector or a subquery");
    }

    private void checkOffsetUnset(long ms, DurationExpr expr, Expr e) {
      if (ms != 0 || expr != null) {
        throw error(e.positionRange(), "offset may not be set multiple times");
      }
    }

    private static PositionRange extend(PositionRange r, int end) {
      return new PositionRange(r.start(), Math.max(r.end(), end));
    }

    /** After {@code offset [+-]}: a literal, step(), range(), min_of/max_of or a parenthesis. */
    private DurationExpr parseOffsetOperand() {
      TokenType t = peek().type();
      if (t == TokenType.NUMBER || t == TokenType.DURATION || t == TokenType.LEFT_PAREN
          || t == TokenType.STEP || t == TokenType.RANGE || t == TokenType.MIN_OF
          || t == TokenType.MAX_OF) {
        return parseDurationPrimary();
      }
      throw unexpected("offset", DURATION_EXPECTED);
    }

    private Expr parseAt(Expr e) {
      Token kw = next();
      Long ts = null;
      AtPreprocessor pre = null;
      TokenType t = peek().type();
      if ((t == TokenType.START || t == TokenType.END)
          && peek(1).type() == TokenType.LEFT_PAREN && peek(2).type() == TokenType.RIGHT_PAREN) {
        next();
        next();
        next();
        pre = t == TokenType.START ? AtPreprocessor.START : AtPreprocessor.END;
      } else if (t == TokenType.NUMBER || t == TokenType.DURATION || t == TokenType.ADD
          || t == TokenType.SUB) {
        Token first = peek();
        double v = parseSignedNumber("@");
        PositionRange r = new PositionRange(first.pos(), tokens.get(i - 1).end());
        if (Double.isNaN(v) || Double.isInfinite(v) || v * 1000 >= 0x1p63 || v * 1000 <= -0x1p63) {
          throw error(e.positionRange(), "timestamp out of bounds for @ modifier: " + goFloatF(v));
        }
        // Go's math.Round: halves away from zero, exactly.
        ts = new java.math.BigDecimal(v * 1000).setScale(0, java.math.RoundingMode.HALF_UP)
            .longValueExact();
      } else {
        throw unexpected("@", "timestamp");
      }
      int end = tokens.get(i - 1).end();
      if (e instanceof VectorSelector) {
        VectorSelector vs = (VectorSelector) e;
        checkAtUnset(vs.hasAt(), e);
        return vs.withAt(ts, pre).withPositionRange(extend(vs.positionRange(), end));
      }
      if (e instanceof MatrixSelector) {
        MatrixSelector m = (MatrixSelector) e;
        checkAtUnset(m.vectorSelector().hasAt(), e);
        return new MatrixSelector(m.vectorSelector().withAt(ts, pre), m.rangeMs(), m.rangeExpr(),
            extend(m.positionRange(), end));
      }
      if (e instanceof SubqueryExpr) {
        SubqueryExpr s = (SubqueryExpr) e;
        checkAtUnset(s.hasAt(), e);
        SubqueryExpr n = s.withAt(ts, pre);
        return new SubqueryExpr(n.expr(), n.rangeMs(), n.rangeExpr(), n.stepMs(), n.stepExpr(),
            n.offsetMs(), n.offsetExpr(), n.timestampMs(), n.startOrEnd(),
            extend(n.positionRange(), end));
      }
      throw error(new PositionRange(e.positionRange().start(), kw.end()),
          "@ modifier must be preceded by an instant vector selector or range vector selector or"
              + " a subquery");
    }

    private void checkAtUnset(boolean set, Expr e) {
      if (set) {
        throw error(e.positionRange(), "@ <timestamp> may not be set multiple times");
      }
    }

    private Expr parseMode(Expr e) {
      Token kw = next();
      boolean anchored = kw.type() == TokenType.ANCHORED;
      String word = kw.type().text();
      if (!options.enableExtendedRangeSelectors()) {
        throw error(e.positionRange(), word + " modifier is experimental and not enabled");
      }
      VectorSelector vs;
      if (e instanceof VectorSelector) {
        vs = (VectorSelector) e;
      } else if (e instanceof MatrixSelector) {
        vs = ((MatrixSelector) e).vectorSelector();
      } else if (e instanceof SubqueryExpr) {
        throw error(e.positionRange(), word + " modifier is not supported for subqueries");
      } else {
        throw error(e.positionRange(), word + " modifier not implemented");
      }
      if (anchored ? vs.smoothed() : vs.anchored()) {
        throw error(e.positionRange(), "anchored and smoothed modifiers cannot be used together");
      }
      // Like Prometheus, the keyword does not extend the node's position range.
      VectorSelector n = vs.withModes(anchored || vs.anchored(), !anchored || vs.smoothed());
      if (e instanceof VectorSelector) {
        return n;
      }
      MatrixSelector m = (MatrixSelector) e;
      return new MatrixSelector(n, m.rangeMs(), m.rangeExpr(), m.positionRange());
    }

    // ---- duration expressions ----------------------------------------------------------------

    private DurationExpr parseDurationExpr(int minPrec) {
      DurationExpr lhs = parseDurationUnary();
      while (true) {
        TokenType op = peek().type();
        boolean arithmetic = op == TokenType.ADD || op == TokenType.SUB || op == TokenType.MUL
            || op == TokenType.DIV || op == TokenType.MOD || op == TokenType.POW;
        int prec = op.precedence();
        if (!arithmetic || prec < minPrec) {
          return lhs;
        }
        Token opToken = next();
        DurationExpr rhs = parseDurationExpr(op.isRightAssociative() ? prec : prec + 1);
        if ((op == TokenType.DIV || op == TokenType.MOD) && rhs instanceof DurationExpr.Literal
            && ((DurationExpr.Literal) rhs).seconds() == 0) {
          throw error(opToken.range(), op == TokenType.DIV ? "division by zero" : "modulo by zero");
        }
        lhs = new DurationExpr.Binary(op, lhs, rhs,
            lhs.positionRange().merge(rhs.positionRange()));
      }
    }

    private DurationExpr parseDurationUnary() {
      TokenType t = peek().type();
      if (t == TokenType.ADD || t == TokenType.SUB) {
        Token op = next();
        return signed(op, parseDurationExpr(TokenType.POW.precedence()));
      }
      return parseDurationPrimary();
    }

    /** A sign before a duration: folded into a literal (as Prometheus does), else a Unary node. */
    private DurationExpr signed(Token sign, DurationExpr operand) {
      PositionRange r = new PositionRange(sign.pos(), operand.positionRange().end());
      if (operand instanceof DurationExpr.Literal) {
        DurationExpr.Literal l = (DurationExpr.Literal) operand;
        return new DurationExpr.Literal(
            sign.type() == TokenType.SUB ? -l.seconds() : l.seconds(), l.unit(), r);
      }
      return new DurationExpr.Unary(sign.type(), operand, r);
    }

    private static final double MAX_DURATION_SECONDS = 0x1p63 / 1e9; // time.Duration's range

    private DurationExpr.Literal durationLiteral(double seconds, boolean unit, Token t) {
      if (seconds > MAX_DURATION_SECONDS || seconds < -MAX_DURATION_SECONDS) {
        throw error(t.range(), "duration out of range");
      }
      return new DurationExpr.Literal(seconds, unit, t.range());
    }

    private DurationExpr parseDurationPrimary() {
      Token t = peek();
      switch (t.type()) {
        case NUMBER:
          next();
          return durationLiteral(parseNumber(t), false, t);
        case DURATION:
          next();
          return durationLiteral(parseDurationMs(t) / 1000.0, true, t);
        case LEFT_PAREN: {
          next();
          DurationExpr inner = parseDurationExpr(1);
          Token close = expectInDuration(TokenType.RIGHT_PAREN);
          return new DurationExpr.Paren(inner, new PositionRange(t.pos(), close.end()));
        }
        case STEP:
        case RANGE: {
          next();
          expectInDuration(TokenType.LEFT_PAREN);
          Token close = expectInDuration(TokenType.RIGHT_PAREN);
          PositionRange r = new PositionRange(t.pos(), close.end());
          return t.type() == TokenType.STEP ? new DurationExpr.Step(r) : new DurationExpr.Range(r);
        }
        case MIN_OF:
        case MAX_OF: {
          next();
          expectInDuration(TokenType.LEFT_PAREN);
          DurationExpr a = parseDurationExpr(1);
          expectInDuration(TokenType.COMMA);
          DurationExpr b = parseDurationExpr(1);
          Token close = expectInDuration(TokenType.RIGHT_PAREN);
          return new DurationExpr.MinMax(t.type(), a, b, new PositionRange(t.pos(), close.end()));
        }
        default:
          throw unexpected(durationContext, DURATION_EXPECTED);
      }
    }

    private static final String DURATION_EXPECTED = "number, duration, step(), or range()";

    private Token expectInDuration(TokenType type) {
      if (peek().type() != type) {
        throw unexpected(durationContext, DURATION_EXPECTED);
      }
      return next();
    }

    // ---- literals ----------------------------------------------------------------------------

    private double parseNumber(Token t) {
      try {
        return Numbers.parse(t.text());
      } catch (NumberFormatException ex) {
        throw error(t.range(), "error parsing number: " + ex.getMessage());
      }
    }

    private long parseDurationMs(Token t) {
      try {
        return Numbers.parseDurationMs(t.text());
      } catch (IllegalArgumentException ex) {
        throw error(t.range(), ex.getMessage());
      }
    }

    private String unquote(Token t) {
      try {
        return GoStrings.unquote(t.text());
      } catch (IllegalArgumentException ex) {
        throw error(t.range(), "error unquoting string " + GoStrings.quote(t.text()) + ": "
            + ex.getMessage());
      }
    }
  }

  /** Go's {@code %f}: six decimals. */
  static String goFloatF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
