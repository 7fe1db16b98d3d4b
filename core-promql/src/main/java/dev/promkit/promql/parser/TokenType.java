package dev.promkit.promql.parser;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The kinds of PromQL tokens. Operators, aggregators and keywords also serve as the operator
 * values of {@link BinaryExpr}, {@link UnaryExpr} and {@link AggregateExpr}.
 */
public enum TokenType {
  /** End of input. */
  EOF(Category.OTHER, null),
  /** A lexical error; the token's text is the message. */
  ERROR(Category.OTHER, null),
  /** A name without colons. */
  IDENTIFIER(Category.OTHER, null),
  /** A name with at least one colon (recording-rule style metric names). */
  METRIC_IDENTIFIER(Category.OTHER, null),
  /** A number literal, including {@code Inf} and {@code NaN}. */
  NUMBER(Category.OTHER, null),
  /** A duration literal such as {@code 1h30m}. */
  DURATION(Category.OTHER, null),
  /** A quoted string; the token text keeps the quotes. */
  STRING(Category.OTHER, null),
  /** {@code (} */
  LEFT_PAREN(Category.OTHER, "("),
  /** {@code )} */
  RIGHT_PAREN(Category.OTHER, ")"),
  /** <code>{</code> */
  LEFT_BRACE(Category.OTHER, "{"),
  /** <code>}</code> */
  RIGHT_BRACE(Category.OTHER, "}"),
  /** {@code [} */
  LEFT_BRACKET(Category.OTHER, "["),
  /** {@code ]} */
  RIGHT_BRACKET(Category.OTHER, "]"),
  /** {@code ,} */
  COMMA(Category.OTHER, ","),
  /** {@code :} (subquery separator) */
  COLON(Category.OTHER, ":"),
  /** {@code =} (label matcher) */
  EQL(Category.OTHER, "="),

  /** {@code +} */
  ADD(Category.OPERATOR, "+"),
  /** {@code -} */
  SUB(Category.OPERATOR, "-"),
  /** {@code *} */
  MUL(Category.OPERATOR, "*"),
  /** {@code /} */
  DIV(Category.OPERATOR, "/"),
  /** {@code %} */
  MOD(Category.OPERATOR, "%"),
  /** {@code ^} */
  POW(Category.OPERATOR, "^"),
  /** {@code atan2} */
  ATAN2(Category.OPERATOR, "atan2"),
  /** {@code ==} */
  EQLC(Category.OPERATOR, "=="),
  /** {@code !=} (comparison or label matcher) */
  NEQ(Category.OPERATOR, "!="),
  /** {@code <=} */
  LTE(Category.OPERATOR, "<="),
  /** {@code <} */
  LSS(Category.OPERATOR, "<"),
  /** {@code >=} */
  GTE(Category.OPERATOR, ">="),
  /** {@code >} */
  GTR(Category.OPERATOR, ">"),
  /** {@code </}: histogram trim upper (drops observations above the right-hand value) */
  TRIM_UPPER(Category.OPERATOR, "</"),
  /** {@code >/}: histogram trim lower (drops observations below the right-hand value) */
  TRIM_LOWER(Category.OPERATOR, ">/"),
  /** {@code =~} (label matcher) */
  EQL_REGEX(Category.OPERATOR, "=~"),
  /** {@code !~} (label matcher) */
  NEQ_REGEX(Category.OPERATOR, "!~"),
  /** {@code and} */
  LAND(Category.OPERATOR, "and"),
  /** {@code or} */
  LOR(Category.OPERATOR, "or"),
  /** {@code unless} */
  LUNLESS(Category.OPERATOR, "unless"),
  /** {@code @} */
  AT(Category.OPERATOR, "@"),

  /** {@code avg} */
  AVG(Category.AGGREGATOR, "avg"),
  /** {@code bottomk} */
  BOTTOMK(Category.AGGREGATOR, "bottomk"),
  /** {@code count} */
  COUNT(Category.AGGREGATOR, "count"),
  /** {@code count_values} */
  COUNT_VALUES(Category.AGGREGATOR, "count_values"),
  /** {@code group} */
  GROUP(Category.AGGREGATOR, "group"),
  /** {@code max} */
  MAX(Category.AGGREGATOR, "max"),
  /** {@code min} */
  MIN(Category.AGGREGATOR, "min"),
  /** {@code quantile} */
  QUANTILE(Category.AGGREGATOR, "quantile"),
  /** {@code stddev} */
  STDDEV(Category.AGGREGATOR, "stddev"),
  /** {@code stdvar} */
  STDVAR(Category.AGGREGATOR, "stdvar"),
  /** {@code sum} */
  SUM(Category.AGGREGATOR, "sum"),
  /** {@code topk} */
  TOPK(Category.AGGREGATOR, "topk"),
  /** {@code limitk} (experimental) */
  LIMITK(Category.AGGREGATOR, "limitk"),
  /** {@code limit_ratio} (experimental) */
  LIMIT_RATIO(Category.AGGREGATOR, "limit_ratio"),

  /** {@code bool} */
  BOOL(Category.KEYWORD, "bool"),
  /** {@code by} */
  BY(Category.KEYWORD, "by"),
  /** {@code group_left} */
  GROUP_LEFT(Category.KEYWORD, "group_left"),
  /** {@code group_right} */
  GROUP_RIGHT(Category.KEYWORD, "group_right"),
  /** {@code ignoring} */
  IGNORING(Category.KEYWORD, "ignoring"),
  /** {@code offset} */
  OFFSET(Category.KEYWORD, "offset"),
  /** {@code on} */
  ON(Category.KEYWORD, "on"),
  /** {@code without} */
  WITHOUT(Category.KEYWORD, "without"),
  /** {@code fill} (3.x binary operator modifier) */
  FILL(Category.KEYWORD, "fill"),
  /** {@code fill_left} (3.x binary operator modifier) */
  FILL_LEFT(Category.KEYWORD, "fill_left"),
  /** {@code fill_right} (3.x binary operator modifier) */
  FILL_RIGHT(Category.KEYWORD, "fill_right"),
  /** {@code anchored} (3.x selector modifier) */
  ANCHORED(Category.KEYWORD, "anchored"),
  /** {@code smoothed} (3.x selector modifier) */
  SMOOTHED(Category.KEYWORD, "smoothed"),

  /** {@code start} ({@code @ start()}, or the experimental function) */
  START(Category.PREPROCESSOR, "start"),
  /** {@code end} ({@code @ end()}, or the experimental function) */
  END(Category.PREPROCESSOR, "end"),
  /** {@code step} (duration expressions, or the experimental function) */
  STEP(Category.PREPROCESSOR, "step"),
  /** {@code range} (duration expressions, or the experimental function) */
  RANGE(Category.PREPROCESSOR, "range"),
  /** {@code min_of} (duration expressions, or the experimental function) */
  MIN_OF(Category.PREPROCESSOR, "min_of"),
  /** {@code max_of} (duration expressions, or the experimental function) */
  MAX_OF(Category.PREPROCESSOR, "max_of");

  private enum Category {
    OTHER,
    OPERATOR,
    AGGREGATOR,
    KEYWORD,
    PREPROCESSOR
  }

  private static final Map<String, TokenType> WORDS = new HashMap<>();

  static {
    for (TokenType t : values()) {
      if (t.text != null && Character.isLetter(t.text.charAt(0))) {
        WORDS.put(t.text, t);
      }
    }
  }

  private final Category category;
  private final String text;

  TokenType(Category category, String text) {
    this.category = category;
    this.text = text;
  }

  /** The fixed spelling of this token (lower case for words), or null for variable tokens. */
  public String text() {
    return text;
  }

  /** The word token for a word (case-insensitive), or null if the word is an identifier. */
  static TokenType forWord(String word) {
    return WORDS.get(word.toLowerCase(Locale.ROOT));
  }

  /** Binary, matcher and {@code @} operators. */
  public boolean isOperator() {
    return category == Category.OPERATOR;
  }

  /** Aggregation operators ({@code sum}, {@code topk}...). */
  public boolean isAggregator() {
    return category == Category.AGGREGATOR;
  }

  /** Aggregations taking a parameter before the vector ({@code topk(3, x)}). */
  public boolean isAggregatorWithParam() {
    return this == TOPK
        || this == BOTTOMK
        || this == COUNT_VALUES
        || this == QUANTILE
        || this == LIMITK
        || this == LIMIT_RATIO;
  }

  /** Aggregations available only with experimental functions enabled. */
  public boolean isExperimentalAggregator() {
    return this == LIMITK || this == LIMIT_RATIO;
  }

  /** Keywords ({@code by}, {@code offset}, {@code bool}...). */
  public boolean isKeyword() {
    return category == Category.KEYWORD;
  }

  /** {@code start}, {@code end}, {@code step}, {@code range}, {@code min_of}, {@code max_of}. */
  public boolean isPreprocessor() {
    return category == Category.PREPROCESSOR;
  }

  /** {@code == != <= < >= >}. */
  public boolean isComparison() {
    return this == EQLC || this == NEQ || this == LTE || this == LSS || this == GTE || this == GTR;
  }

  /** {@code and or unless}. */
  public boolean isSetOperator() {
    return this == LAND || this == LOR || this == LUNLESS;
  }

  /** Operators usable between two expressions. */
  public boolean isBinaryOperator() {
    return precedence() > 0;
  }

  /**
   * Binding strength of a binary operator: {@code or} 1, {@code and unless} 2, comparisons 3,
   * {@code + -} 4, {@code * / % atan2 </ >/} 5, {@code ^} 6; 0 for anything else.
   */
  public int precedence() {
    switch (this) {
      case LOR:
        return 1;
      case LAND:
      case LUNLESS:
        return 2;
      case EQLC:
      case NEQ:
      case LTE:
      case LSS:
      case GTE:
      case GTR:
        return 3;
      case ADD:
      case SUB:
        return 4;
      case MUL:
      case DIV:
      case MOD:
      case ATAN2:
      case TRIM_UPPER:
      case TRIM_LOWER:
        return 5;
      case POW:
        return 6;
      default:
        return 0;
    }
  }

  /** Only {@code ^} groups to the right. */
  public boolean isRightAssociative() {
    return this == POW;
  }
}
