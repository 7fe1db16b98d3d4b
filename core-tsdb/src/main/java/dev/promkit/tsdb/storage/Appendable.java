package dev.promkit.tsdb.storage;

/** Storage that can be written. */
@FunctionalInterface
public interface Appendable {
  /** A new appender (one per thread). */
  Appender appender();
}
