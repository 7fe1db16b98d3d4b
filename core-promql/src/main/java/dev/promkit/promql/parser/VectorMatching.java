package dev.promkit.promql.parser;

import java.util.List;

/**
 * How a binary operation between two instant vectors matches series.
 *
 * @param card the matching cardinality (set operators are always many-to-many)
 * @param matchingLabels the labels of {@code on(...)} or {@code ignoring(...)}
 * @param on true for {@code on}, false for {@code ignoring} (or neither)
 * @param include the extra labels of {@code group_left(...)} / {@code group_right(...)}
 * @param fillLeft the 3.x {@code fill_left(v)} / {@code fill(v)} value used for a missing
 *     left-hand sample, or null
 * @param fillRight the 3.x {@code fill_right(v)} / {@code fill(v)} value used for a missing
 *     right-hand sample, or null
 */
public record VectorMatching(
    Cardinality card,
    List<String> matchingLabels,
    boolean on,
    List<String> include,
    Double fillLeft,
    Double fillRight) {

  /** Copies the label lists. */
  public VectorMatching {
    matchingLabels = List.copyOf(matchingLabels);
    include = List.copyOf(include);
  }

  /** Plain one-to-one matching on all labels. */
  public static VectorMatching oneToOne() {
    return new VectorMatching(Cardinality.ONE_TO_ONE, List.of(), false, List.of(), null, null);
  }

  /** This matching with another cardinality. */
  public VectorMatching withCard(Cardinality c) {
    return new VectorMatching(c, matchingLabels, on, include, fillLeft, fillRight);
  }

  /** Matching cardinalities. */
  public enum Cardinality {
    /** Each side has at most one series per match group. */
    ONE_TO_ONE,
    /** {@code group_left}: many left-hand series per right-hand series. */
    MANY_TO_ONE,
    /** {@code group_right}: many right-hand series per left-hand series. */
    ONE_TO_MANY,
    /** Set operators. */
    MANY_TO_MANY
  }
}
