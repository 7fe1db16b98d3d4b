package dev.promkit.tsdb.tombstones;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongPredicate;

/**
 * Deleted intervals per series ref (a block's index series ref, or a head series ref). Thread-safe:
 * readers see each series' intervals as one immutable {@link Intervals}.
 */
public final class Tombstones {
  private final ConcurrentSkipListMap<Long, Intervals> byRef = new ConcurrentSkipListMap<>();

  /** Receives one series' intervals in {@link #forEach}. */
  @FunctionalInterface
  public interface Visitor {
    /** Called with a series ref and its (non-empty) intervals. */
    void visit(long ref, Intervals intervals);
  }

  /** Adds [mint, maxt] to series {@code ref}'s deleted intervals. */
  public void add(long ref, long mint, long maxt) {
    byRef.compute(ref, (k, v) -> (v == null ? Intervals.EMPTY : v).add(mint, maxt));
  }

  /** Adds every interval of {@code other}. */
  public void addAll(Tombstones other) {
    other.forEach((ref, iv) -> byRef.compute(ref, (k, v) -> (v == null ? Intervals.EMPTY : v).addAll(iv)));
  }

  /** The series' deleted intervals; {@link Intervals#EMPTY} when none. */
  public Intervals get(long ref) {
    Intervals iv = byRef.get(ref);
    return iv == null ? Intervals.EMPTY : iv;
  }

  /** Calls the visitor for every series with deletions, in ascending ref order. */
  public void forEach(Visitor v) {
    for (Map.Entry<Long, Intervals> e : byRef.entrySet()) {
      v.visit(e.getKey(), e.getValue());
    }
  }

  /** Forgets series for which {@code keep} is false, and the parts of intervals before {@code mint}. */
  public void truncate(long mint, LongPredicate keep) {
    for (Map.Entry<Long, Intervals> e : byRef.entrySet()) {
      Intervals iv = keep.test(e.getKey()) ? e.getValue().dropBefore(mint) : Intervals.EMPTY;
      if (iv.isEmpty()) {
        byRef.remove(e.getKey(), e.getValue());
      } else if (!iv.equals(e.getValue())) {
        byRef.replace(e.getKey(), e.getValue(), iv);
      }
    }
  }

  /** Whether no series has deletions. */
  public boolean isEmpty() {
    return byRef.isEmpty();
  }

  /** Number of series with deletions. */
  public int numSeries() {
    return byRef.size();
  }

  /** Total number of intervals (Prometheus' {@code numTombstones}). */
  public long numIntervals() {
    long n = 0;
    for (Intervals iv : byRef.values()) {
      n += iv.size();
    }
    return n;
  }

  @Override
  public String toString() {
    return byRef.toString();
  }
}
