package dev.promkit.client.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Left padding, so a cell's hot fields never share a cache line with the object before it. */
abstract class CellLeftPad {
  long p00, p01, p02, p03, p04, p05, p06, p07;
}

/**
 * One stripe of a striped value: owned by one thread, which updates the cell's owner fields with
 * plain (opaque) writes instead of atomic read-modify-writes; other threads that land on it use
 * the separate shared fields with atomic instructions. See {@link Stripes}.
 */
abstract class Cell extends CellLeftPad {
  static final VarHandle OWNER;

  static {
    try {
      OWNER = MethodHandles.lookup().findVarHandle(Cell.class, "owner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The thread allowed to write the owner fields; null when free. Only that thread sets itself here. */
  Thread owner;
}
