package dev.promkit.tsdb.storage;

/**
 * Hints from the query engine to the storage; the storage may ignore them.
 *
 * @param start start of the data the query needs (ms)
 * @param end end of the data the query needs (ms)
 * @param step query step (ms), 0 for instant queries
 * @param range range of the range selector (ms), 0 for instant selectors
 * @param func name of the function around the selector, or null
 */
public record SelectHints(long start, long end, long step, long range, String func) {
  /** Hints that only bound the time range. */
  public static SelectHints of(long start, long end) {
    return new SelectHints(start, end, 0, 0, null);
  }
}
