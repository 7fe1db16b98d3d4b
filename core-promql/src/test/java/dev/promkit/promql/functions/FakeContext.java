package dev.promkit.promql.functions;

import dev.promkit.promql.engine.FunctionContext;
import java.util.ArrayList;
import java.util.List;

/** A {@link FunctionContext} for calling implementations directly; records annotations. */
class FakeContext implements FunctionContext {
  final List<String> warnings = new ArrayList<>();
  final List<String> infos = new ArrayList<>();
  long timestamp;
  long range;
  boolean anchored;
  boolean smoothed;

  FakeContext(long timestamp) {
    this.timestamp = timestamp;
  }

  @Override public String name() { return "f"; }
  @Override public long timestamp() { return timestamp; }
  @Override public long rangeMillis() { return range; }
  @Override public long offsetMillis() { return 0; }
  @Override public long windowEnd() { return timestamp; }
  @Override public boolean anchored() { return anchored; }
  @Override public boolean smoothed() { return smoothed; }
  @Override public long lookbackDeltaMillis() { return 300_000; }
  @Override public long queryStart() { return timestamp; }
  @Override public long queryEnd() { return timestamp; }
  @Override public long queryStep() { return 0; }
  @Override public void warn(String message, int arg) { warnings.add(arg + ":" + message); }
  @Override public void info(String message, int arg) { infos.add(arg + ":" + message); }
}
