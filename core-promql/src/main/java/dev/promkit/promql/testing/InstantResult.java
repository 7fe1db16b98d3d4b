package dev.promkit.promql.testing;

import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.StringValue;
import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of an instant query run by {@link PromQLTestHarness#query}: typed accessors and
 * assertions that fail with an {@link AssertionError} naming the query, its time and the whole
 * result. Assertions return {@code this} so they chain.
 *
 * <pre>{@code
 * harness.query("sum by (code) (rate(http_requests_total[1m]))")
 *     .assertValue("{code=\"200\"}", 2.0, 1e-9)
 *     .assertValue("{code=\"500\"}", 0.5, 1e-9);
 * }</pre>
 */
public final class InstantResult {
  private final String query;
  private final long time;
  private final Value value;

  InstantResult(String query, long time, Value value) {
    this.query = query;
    this.time = time;
    this.value = value;
  }

  /** The query text. */
  public String query() {
    return query;
  }

  /** The evaluation time. */
  public Instant time() {
    return Instant.ofEpochMilli(time);
  }

  /** The engine's value: a {@link Vector}, {@link Scalar}, {@link StringValue} or {@link Matrix}. */
  public Value value() {
    return value;
  }

  /** The instant vector; fails if the result is of another type. */
  public Vector vector() {
    return as(Vector.class, "vector");
  }

  /** The range vector (a query such as {@code x[5m]}); fails if the result is of another type. */
  public Matrix matrix() {
    return as(Matrix.class, "matrix");
  }

  /** The scalar's value; fails if the result is of another type. */
  public double scalar() {
    return as(Scalar.class, "scalar").v();
  }

  /** The string's value; fails if the result is of another type. */
  public String string() {
    return as(StringValue.class, "string").s();
  }

  /** The value of a scalar result or of a vector holding exactly one sample. */
  public double singleValue() {
    if (value instanceof Scalar) {
      return ((Scalar) value).v();
    }
    Vector v = vector();
    if (v.size() != 1) {
      throw fail("expected exactly one sample, got " + v.size());
    }
    return v.get(0).f();
  }

  /**
   * The value of the one sample whose labels match the selector, e.g. {@code {code="500"}} or
   * {@code http_requests_total{method=~"GET|POST"}}.
   */
  public double valueFor(String selector) {
    List<Sample> hits = matching(selector);
    if (hits.size() != 1) {
      throw fail("expected exactly one sample matching " + selector + ", got " + hits.size());
    }
    return hits.get(0).f();
  }

  /** The samples whose labels match the selector. */
  public List<Sample> samplesMatching(String selector) {
    return matching(selector);
  }

  /** Asserts a scalar, or a vector of one sample, equal to {@code expected} (NaN equals NaN). */
  public InstantResult assertSingleValue(double expected) {
    return assertSingleValue(expected, 0);
  }

  /** Asserts a scalar, or a vector of one sample, within {@code tolerance} of {@code expected}. */
  public InstantResult assertSingleValue(double expected, double tolerance) {
    double actual = singleValue();
    if (!Values.close(expected, actual, tolerance)) {
      throw fail("expected single value " + Values.expectation(expected, tolerance) + ", got " + Format.value(actual));
    }
    return this;
  }

  /** Asserts that exactly one sample matches the selector and its value equals {@code expected}. */
  public InstantResult assertValue(String selector, double expected) {
    return assertValue(selector, expected, 0);
  }

  /** Asserts that exactly one sample matches the selector, within {@code tolerance} of {@code expected}. */
  public InstantResult assertValue(String selector, double expected, double tolerance) {
    double actual = valueFor(selector);
    if (!Values.close(expected, actual, tolerance)) {
      throw fail("expected " + selector + " to be " + Values.expectation(expected, tolerance) + ", got "
          + Format.value(actual));
    }
    return this;
  }

  /** Asserts an empty vector (or matrix): nothing matched. */
  public InstantResult assertEmpty() {
    int n = size();
    if (n != 0) {
      throw fail("expected an empty result, got " + n + (value instanceof Matrix ? " series" : " samples"));
    }
    return this;
  }

  /** Asserts the number of samples of a vector (or series of a matrix). */
  public InstantResult assertSize(int expected) {
    int n = size();
    if (n != expected) {
      throw fail("expected " + expected + " elements, got " + n);
    }
    return this;
  }

  private int size() {
    if (value instanceof Vector) {
      return ((Vector) value).size();
    }
    if (value instanceof Matrix) {
      return ((Matrix) value).size();
    }
    throw fail("expected a vector or matrix, got a " + value.typeName());
  }

  private List<Sample> matching(String selector) {
    List<LabelMatcher> ms = Format.selector(selector);
    List<Sample> out = new ArrayList<>();
    for (Sample s : vector()) {
      if (Format.matches(ms, s.metric())) {
        out.add(s);
      }
    }
    return out;
  }

  private <T> T as(Class<T> type, String name) {
    if (!type.isInstance(value)) {
      throw fail("expected a " + name + " result, got a " + value.typeName());
    }
    return type.cast(value);
  }

  private AssertionError fail(String what) {
    return new AssertionError(what + "\n" + this);
  }

  /** The query, its time and the whole result, one line per sample. */
  @Override
  public String toString() {
    return "query: " + query + "\nat:    " + Format.time(time) + "\nresult: " + Format.result(value);
  }
}
