package dev.promkit.promql.engine;

import dev.promkit.promql.parser.Call;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.parser.Function;
import dev.promkit.promql.parser.ParseException;
import dev.promkit.promql.parser.Parser;
import dev.promkit.promql.parser.ParserOptions;
import dev.promkit.promql.parser.ValueType;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.StringValue;
import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.storage.Queryable;
import java.time.Duration;
import java.util.Objects;

/**
 * The PromQL engine: runs instant and range queries against any {@link Queryable}, with
 * Prometheus 3.x semantics (lookback delta, staleness markers, left-open range windows, delayed
 * metric-name removal, the experimental features of the conformance corpus).
 *
 * <pre>{@code
 * Engine engine = Engine.builder().build();
 * QueryResult r = engine.instantQuery(storage, "sum(rate(http_requests_total[5m]))", nowMillis);
 * }</pre>
 *
 * <p>An engine is immutable and thread-safe. Errors (bad query, timeout, too many samples,
 * evaluation errors) are thrown as {@link PromQLException} with Prometheus' wording.
 */
public final class Engine {
  private final EngineOptions opts;
  private final Parser parser;

  private Engine(EngineOptions opts, ParserOptions parserOptions) {
    this.opts = opts;
    this.parser = new Parser(parserOptions);
  }

  /** A builder with Prometheus' defaults (lookback 5m, timeout 2m, 50 million samples). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Evaluates a query at one instant.
   *
   * @param timeMillis evaluation time, Unix ms
   * @return a vector, scalar, string or (for a range-vector expression) matrix result
   * @throws PromQLException for a parse or evaluation error
   */
  public QueryResult instantQuery(Queryable queryable, String query, long timeMillis) {
    Expr e = parse(query);
    return exec(queryable, query, e, timeMillis, timeMillis, 0);
  }

  /**
   * Evaluates a query at {@code start, start+step, ..., end}.
   *
   * @return a matrix sorted by labels
   * @throws PromQLException for a parse or evaluation error, or when the expression is not a
   *     scalar or instant vector
   */
  public QueryResult rangeQuery(Queryable queryable, String query, long startMillis, long endMillis, long stepMillis) {
    Expr e = parse(query);
    checkRange(e, startMillis, endMillis, stepMillis);
    return exec(queryable, query, e, startMillis, endMillis, stepMillis);
  }

  private static void checkRange(Expr e, long startMillis, long endMillis, long stepMillis) {
    if (stepMillis <= 0) {
      throw new PromQLException("zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (endMillis < startMillis) {
      throw new PromQLException("end timestamp must not be before start time");
    }
    if (e.type() != ValueType.VECTOR && e.type() != ValueType.SCALAR) {
      throw new PromQLException("invalid expression type \"" + e.type().documentedName()
          + "\" for range query, must be Scalar or instant Vector");
    }
  }

  /**
   * Evaluates an already parsed expression at one instant.
   *
   * @param text the query text the expression came from, used only to render annotation positions
   */
  public QueryResult instantQuery(Queryable queryable, Expr expr, String text, long timeMillis) {
    return exec(queryable, text, expr, timeMillis, timeMillis, 0);
  }

  /**
   * Evaluates an already parsed expression over a range, as {@link #rangeQuery(Queryable, String, long, long, long)}.
   *
   * @param text the query text the expression came from, used only to render annotation positions
   */
  public QueryResult rangeQuery(Queryable queryable, Expr expr, String text, long startMillis, long endMillis,
      long stepMillis) {
    checkRange(expr, startMillis, endMillis, stepMillis);
    return exec(queryable, text, expr, startMillis, endMillis, stepMillis);
  }

  /** Parses a query with this engine's parser options. */
  public Expr parse(String query) {
    Objects.requireNonNull(query, "query");
    try {
      return parser.parseExpr(query);
    } catch (ParseException e) {
      throw new PromQLException(e.getMessage(), e);
    }
  }

  private QueryResult exec(Queryable queryable, String query, Expr e, long start, long end, long step) {
    Objects.requireNonNull(queryable, "queryable");
    QueryState qs = new QueryState(queryable, opts, start, end, step);
    if (step != 0) {
      warnIneffectiveSort(e, qs);
    }
    Evaluator ev = new Evaluator(qs, start, end, step == 0 ? 1 : step);
    Value v;
    try {
      v = ev.eval(e);
    } catch (PromQLException ex) {
      throw ex;
    } catch (dev.promkit.tsdb.regex.RegexTooExpensiveException ex) {
      // a bounded matcher gave up: the user's regex is the cause, not the engine
      throw new PromQLException(ex.getMessage(), ex);
    } catch (StackOverflowError | RuntimeException ex) {
      throw new PromQLException("unexpected error: " + ex, ex);
    }
    if (v instanceof StringValue) {
      return new QueryResult(query, v, qs.annotations.all());
    }
    Matrix mat = Evaluator.cleanup((Matrix) v);
    if (step != 0) {
      if (e.type() == ValueType.SCALAR) {
        for (Series s : mat) {
          s.setMetric(dev.promkit.tsdb.labels.Labels.empty());
        }
      }
      mat.sort((a, b) -> a.metric().compareTo(b.metric()));
      return new QueryResult(query, mat, qs.annotations.all());
    }
    switch (e.type()) {
      case VECTOR: {
        Vector vec = new Vector(mat.size());
        for (Series s : mat) {
          FPoint p = s.floats().get(0);
          vec.add(new Sample(s.metric(), start, p.f()));
        }
        return new QueryResult(query, vec, qs.annotations.all());
      }
      case SCALAR: {
        double f = mat.isEmpty() || mat.get(0).floats().isEmpty() ? Double.NaN : mat.get(0).floats().get(0).f();
        return new QueryResult(query, new Scalar(start, f), qs.annotations.all());
      }
      case MATRIX:
        mat.sort((a, b) -> a.metric().compareTo(b.metric()));
        return new QueryResult(query, mat, qs.annotations.all());
      default:
        throw new PromQLException("unexpected expression type " + e.type());
    }
  }

  /** Prometheus warns about sort functions in range queries, whose results are ordered by labels anyway. */
  private static void warnIneffectiveSort(Expr e, QueryState qs) {
    e.walk(n -> {
      if (n instanceof Call && ((Call) n).function().has(Function.Flag.SORTS_OUTPUT)) {
        qs.annotations.warn("sort is ineffective for range queries since results are always ordered by labels",
            n.positionRange().start(), n.positionRange().end());
      }
    });
  }

  /** Engine settings. */
  public static final class Builder {
    private long lookbackDeltaMillis = 5 * 60_000;
    private long timeoutMillis = 2 * 60_000;
    private long maxSamples = 50_000_000;
    private long noStepSubqueryIntervalMillis = 60_000;
    private FunctionRegistry functions;
    private ParserOptions parserOptions = ParserOptions.allEnabled();

    private Builder() {}

    /** How far back an instant selector looks for a sample (default 5m). */
    public Builder lookbackDeltaMillis(long ms) {
      if (ms <= 0) {
        throw new IllegalArgumentException("lookback delta must be positive, got " + ms);
      }
      this.lookbackDeltaMillis = ms;
      return this;
    }

    /** As {@link #lookbackDeltaMillis(long)}. */
    public Builder lookbackDelta(Duration d) {
      return lookbackDeltaMillis(d.toMillis());
    }

    /** Per-query timeout (default 2m). */
    public Builder timeoutMillis(long ms) {
      if (ms <= 0) {
        throw new IllegalArgumentException("timeout must be positive, got " + ms);
      }
      this.timeoutMillis = ms;
      return this;
    }

    /** Most samples a query may load (default 50,000,000). */
    public Builder maxSamples(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("max samples must be positive, got " + n);
      }
      this.maxSamples = n;
      return this;
    }

    /** Step of subqueries written without one, {@code [5m:]} (default 1m, Prometheus' default evaluation interval). */
    public Builder noStepSubqueryIntervalMillis(long ms) {
      if (ms <= 0) {
        throw new IllegalArgumentException("subquery interval must be positive, got " + ms);
      }
      this.noStepSubqueryIntervalMillis = ms;
      return this;
    }

    /** Function implementations (default {@link FunctionRegistry#standard()}). */
    public Builder functions(FunctionRegistry registry) {
      this.functions = Objects.requireNonNull(registry);
      return this;
    }

    /** Parser feature switches (default: all experimental features on). */
    public Builder parserOptions(ParserOptions options) {
      this.parserOptions = Objects.requireNonNull(options);
      return this;
    }

    /** The engine. */
    public Engine build() {
      FunctionRegistry f = functions != null ? functions : FunctionRegistry.standard();
      return new Engine(new EngineOptions(lookbackDeltaMillis, timeoutMillis, maxSamples,
          noStepSubqueryIntervalMillis, f), parserOptions);
    }
  }
}
