package dev.promkit.promql.rules;

import java.util.ArrayList;
import java.util.List;

/** A {@link Notifier} that keeps every alert it is given, for tests. Thread-safe. */
public final class InMemoryNotifier implements Notifier {
  private final List<Alert> sent = new ArrayList<>();

  @Override
  public synchronized void send(List<Alert> alerts) {
    sent.addAll(alerts);
  }

  /** Every alert sent so far, in order. */
  public synchronized List<Alert> sent() {
    return List.copyOf(sent);
  }

  /** Returns and forgets the alerts sent so far. */
  public synchronized List<Alert> drain() {
    List<Alert> out = List.copyOf(sent);
    sent.clear();
    return out;
  }
}
