package dev.promkit.promql.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects the annotations of one query; duplicates are kept once, in first-seen order. */
public final class Annotations {
  private final Set<Annotation> items = new LinkedHashSet<>();

  /** Adds a warning about the expression at [start, end) of the query text (-1 when unknown). */
  public void warn(String message, int start, int end) {
    items.add(new Annotation(Annotation.Severity.WARNING, message, start, end));
  }

  /** Adds an info note about the expression at [start, end) of the query text (-1 when unknown). */
  public void info(String message, int start, int end) {
    items.add(new Annotation(Annotation.Severity.INFO, message, start, end));
  }

  /** Adds an annotation. */
  public void add(Annotation a) {
    items.add(a);
  }

  /** Adds all annotations of another collection. */
  public void addAll(Annotations other) {
    items.addAll(other.items);
  }

  /** All annotations, in the order first added. */
  public List<Annotation> all() {
    return new ArrayList<>(items);
  }

  /** True when nothing was collected. */
  public boolean isEmpty() {
    return items.isEmpty();
  }
}
