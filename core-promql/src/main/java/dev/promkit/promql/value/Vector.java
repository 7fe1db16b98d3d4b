package dev.promkit.promql.value;

import java.util.ArrayList;
import java.util.Collection;

/** An instant vector: samples at one evaluation time, each with its own labels. */
public final class Vector extends ArrayList<Sample> implements Value {
  private static final long serialVersionUID = 1L;

  /** An empty vector. */
  public Vector() {}

  /** An empty vector with room for n samples. */
  public Vector(int n) {
    super(n);
  }

  /** A vector holding these samples. */
  public Vector(Collection<Sample> samples) {
    super(samples);
  }

  @Override
  public String typeName() {
    return "vector";
  }
}
