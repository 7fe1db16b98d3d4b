package dev.promkit.promql.promqltest;

import dev.promkit.tsdb.storage.Appendable;
import dev.promkit.tsdb.storage.MemoryStorage;
import dev.promkit.tsdb.storage.Queryable;

/**
 * Makes a fresh, empty storage for each script and after each {@code clear}: lets the runner play
 * the same scripts against any storage behind the query interface.
 */
@FunctionalInterface
public interface StorageFactory {
  /** A new empty storage; the runner closes it when the script clears it or ends. */
  TestStorage create();

  /** A storage as the runner uses it. */
  interface TestStorage extends AutoCloseable {
    /** Read side, handed to the engine. */
    Queryable queryable();

    /** Write side, used by {@code load}. */
    Appendable appendable();

    @Override
    default void close() {}
  }

  /** The in-memory reference storage of core-tsdb. */
  static StorageFactory memory() {
    return () -> {
      MemoryStorage m = new MemoryStorage();
      return new TestStorage() {
        @Override
        public Queryable queryable() {
          return m;
        }

        @Override
        public Appendable appendable() {
          return m;
        }
      };
    };
  }
}
