package dev.promkit.promql.testing;

import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Series;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The result of a range query run by {@link PromQLTestHarness#queryRange}: a matrix, one series
 * per label set, with assertions that fail naming the query, the range and every series.
 *
 * <pre>{@code
 * harness.queryRange("up", start, end, Duration.ofSeconds(15)).assertValues("{job=\"app\"}", 1, 1, 1);
 * }</pre>
 */
public final class RangeResult {
  private final String query;
  private final long start;
  private final long end;
  private final long step;
  private final Matrix matrix;

  RangeResult(String query, long start, long end, long step, Matrix matrix) {
    this.query = query;
    this.start = start;
    this.end = end;
    this.step = step;
    this.matrix = matrix;
  }

  /** The query text. */
  public String query() {
    return query;
  }

  /** The first evaluation time. */
  public Instant start() {
    return Instant.ofEpochMilli(start);
  }

  /** The last possible evaluation time. */
  public Instant end() {
    return Instant.ofEpochMilli(end);
  }

  /** The result series, sorted by labels. */
  public Matrix matrix() {
    return matrix;
  }

  /** The one series whose labels match the selector, e.g. {@code {code="500"}}. */
  public Series series(String selector) {
    List<LabelMatcher> ms = Format.selector(selector);
    List<Series> hits = new ArrayList<>();
    for (Series s : matrix) {
      if (Format.matches(ms, s.metric())) {
        hits.add(s);
      }
    }
    if (hits.size() != 1) {
      throw fail("expected exactly one series matching " + selector + ", got " + hits.size());
    }
    return hits.get(0);
  }

  /** The values of the one series matching the selector, in time order (steps without a value are absent). */
  public double[] valuesFor(String selector) {
    List<FPoint> ps = series(selector).floats();
    double[] out = new double[ps.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ps.get(i).f();
    }
    return out;
  }

  /** Asserts that the one series matching the selector has exactly these values, in order. */
  public RangeResult assertValues(String selector, double... expected) {
    return assertValuesWithin(selector, 0, expected);
  }

  /** As {@link #assertValues}, each value within {@code tolerance}. */
  public RangeResult assertValuesWithin(String selector, double tolerance, double... expected) {
    double[] actual = valuesFor(selector);
    boolean ok = actual.length == expected.length;
    for (int i = 0; ok && i < actual.length; i++) {
      ok = Values.close(expected[i], actual[i], tolerance);
    }
    if (!ok) {
      throw fail("expected " + selector + " to have values " + Arrays.toString(expected)
          + (tolerance == 0 ? "" : " ± " + tolerance) + ", got " + Arrays.toString(actual));
    }
    return this;
  }

  /** Asserts that no series came out. */
  public RangeResult assertEmpty() {
    if (!matrix.isEmpty()) {
      throw fail("expected an empty result, got " + matrix.size() + " series");
    }
    return this;
  }

  /** Asserts the number of series. */
  public RangeResult assertSeriesCount(int expected) {
    if (matrix.size() != expected) {
      throw fail("expected " + expected + " series, got " + matrix.size());
    }
    return this;
  }

  private AssertionError fail(String what) {
    return new AssertionError(what + "\n" + this);
  }

  /** The query, its range and every series with its points. */
  @Override
  public String toString() {
    return "query: " + query + "\nrange: " + Format.time(start) + " .. " + Format.time(end) + " step "
        + step + "ms\nresult: " + Format.result(matrix);
  }
}
