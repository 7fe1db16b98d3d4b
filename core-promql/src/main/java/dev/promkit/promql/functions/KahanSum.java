package dev.promkit.promql.functions;

/**
 * Kahan-Neumaier compensated summation, as Prometheus' {@code kahansum.Inc}: the running sum and
 * its compensation term live in two fields so that callers stay allocation-free (one instance per
 * call, which escape analysis keeps on the stack).
 */
final class KahanSum {
  double sum;
  double c;

  /** Adds {@code inc}; an infinite sum zeroes the compensation as Prometheus does. */
  void add(double inc) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      // Neumaier: take the error term from the smaller operand.
      c += (sum - t) + inc;
    } else {
      c += (inc - t) + sum;
    }
    sum = t;
  }

  void reset() {
    sum = 0;
    c = 0;
  }

  /** The compensated total. */
  double value() {
    return sum + c;
  }
}
