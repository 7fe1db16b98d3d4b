package dev.promkit.benchmarks.promql;

import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.engine.QueryResult;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Series;
import dev.promkit.tsdb.Tsdb;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Competitor: Prometheus' {@code BenchmarkRangeQuery} (promql/bench_test.go): the same data
 * ({@link RangeQueryData}, ~26.9 M samples in a real in-memory {@link Tsdb} head, loaded once per
 * trial) and the same queries ({@link RangeQueries}), each a range query of 1000 steps (some 100,
 * 1 or 10,000) of 10 s ending at the end of the data, parsed and evaluated per operation, as
 * Prometheus' benchmark does (no HTTP, no JSON). Score: ms per query. The trial setup prints the
 * result's series and points ({@code [range-query] ...}); divide by the points for time per point.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RangeQueryBenchmark -p size=hundred}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RangeQueryBenchmark {
  /** Series count of the X in the query: one, ten or hundred. */
  @Param({"hundred", "ten", "one"})
  public String size;

  /** A query id of {@link RangeQueries}. */
  @Param({"a", "rate1m", "rate1d", "neg", "aMinusB", "and", "or", "unless", "abs", "labelReplace", "sum",
      "sumByLe", "countValues", "topk1", "rateSum", "rateRatio", "histQuantile", "groupRight", "countAll",
      "timestamp", "topk5", "changes1d", "rate1m10k"})
  public String query;

  private Tsdb db;
  private Engine engine;
  private String expr;
  private long start;

  @Setup(Level.Trial)
  public void setUp() {
    RangeQueries.Query q = RangeQueries.get(query);
    expr = q.expr(size);
    start = q.startMs();
    engine = Engine.builder().maxSamples(50_000_000).timeoutMillis(100_000).build();
    long t0 = System.nanoTime();
    db = RangeQueryData.load();
    long loadMs = (System.nanoTime() - t0) / 1_000_000;
    int[] sp = count(run());
    System.out.printf("[range-query] size=%s query=%s expr=%s steps=%d series=%d points=%d (data loaded in %d ms)%n",
        size, query, expr, q.steps(), sp[0], sp[1], loadMs);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    db.close();
  }

  /** One range query, parsed and evaluated. */
  @Benchmark
  public QueryResult rangeQuery() {
    return run();
  }

  private QueryResult run() {
    return engine.rangeQuery(db, expr, start, RangeQueryData.END_MS, RangeQueryData.INTERVAL_MS);
  }

  /** {series, points} of a range query's matrix. */
  static int[] count(QueryResult r) {
    Matrix m = (Matrix) r.value();
    int points = 0;
    for (Series s : m) {
      points += s.floats().size() + s.histograms().size();
    }
    return new int[] {m.size(), points};
  }
}
