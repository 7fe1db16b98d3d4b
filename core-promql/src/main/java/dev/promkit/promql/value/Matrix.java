package dev.promkit.promql.value;

import java.util.ArrayList;
import java.util.Collection;

/** A range vector, or the result of a range query: series of points over time. */
public final class Matrix extends ArrayList<Series> implements Value {
  private static final long serialVersionUID = 1L;

  /** An empty matrix. */
  public Matrix() {}

  /** A matrix holding these series. */
  public Matrix(Collection<Series> series) {
    super(series);
  }

  @Override
  public String typeName() {
    return "matrix";
  }
}
