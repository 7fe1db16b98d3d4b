package dev.promkit.tsdb.storage;

import java.util.Iterator;
import java.util.List;

/** Series returned by a select: {@code while (set.next()) use(set.at()); check set.err()}. */
public interface SeriesSet {
  /** Advances to the next series; false when exhausted or failed. */
  boolean next();

  /** The current series. */
  Series at();

  /** The error that stopped iteration, or null. */
  default Throwable err() {
    return null;
  }

  /** Warnings collected while selecting (e.g. partial data). */
  default List<String> warnings() {
    return List.of();
  }

  /** A set with no series. */
  static SeriesSet empty() {
    return of(List.of());
  }

  /** A set that failed with an error. */
  static SeriesSet error(Throwable e) {
    return new SeriesSet() {
      @Override
      public boolean next() {
        return false;
      }

      @Override
      public Series at() {
        throw new IllegalStateException("error series set has no series", e);
      }

      @Override
      public Throwable err() {
        return e;
      }
    };
  }

  /** A set over a list of series, in list order. */
  static SeriesSet of(List<? extends Series> series) {
    Iterator<? extends Series> it = series.iterator();
    return new SeriesSet() {
      private Series cur;

      @Override
      public boolean next() {
        if (!it.hasNext()) {
          cur = null;
          return false;
        }
        cur = it.next();
        return true;
      }

      @Override
      public Series at() {
        return cur;
      }
    };
  }
}
