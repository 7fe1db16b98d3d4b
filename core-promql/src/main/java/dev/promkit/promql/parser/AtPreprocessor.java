package dev.promkit.promql.parser;

/** The {@code @ start()} and {@code @ end()} modifiers: the query's start or end time. */
public enum AtPreprocessor {
  /** {@code @ start()} */
  START,
  /** {@code @ end()} */
  END
}
