package dev.promkit.promql.parser;

/**
 * Feature switches of the parser, mirroring Prometheus' {@code --enable-feature} flags. All are
 * off by default, as in Prometheus; the conformance corpus runs with {@link #allEnabled()}.
 *
 * @param enableExperimentalFunctions functions flagged {@link Function.Flag#EXPERIMENTAL} and the
 *     {@code limitk}/{@code limit_ratio} aggregations ({@code promql-experimental-functions})
 * @param enableDurationExpressions arithmetic, {@code step()}, {@code range()}, {@code min_of}
 *     and {@code max_of} in ranges, steps and offsets ({@code promql-duration-expr})
 * @param enableExtendedRangeSelectors the {@code anchored} and {@code smoothed} modifiers
 *     ({@code promql-extended-range-selectors})
 * @param enableBinopFillModifiers {@code fill}, {@code fill_left}, {@code fill_right}
 *     ({@code promql-binop-fill-modifiers})
 */
public record ParserOptions(
    boolean enableExperimentalFunctions,
    boolean enableDurationExpressions,
    boolean enableExtendedRangeSelectors,
    boolean enableBinopFillModifiers) {

  /** Everything off, as Prometheus starts without feature flags. */
  public static ParserOptions defaults() {
    return new ParserOptions(false, false, false, false);
  }

  /** Everything on, as the conformance corpus expects. */
  public static ParserOptions allEnabled() {
    return new ParserOptions(true, true, true, true);
  }
}
