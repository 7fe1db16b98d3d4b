package dev.promkit.promql.engine;

/**
 * A set of function implementations that registers itself into a {@link FunctionRegistry}.
 * {@link FunctionRegistry#standard()} finds libraries with {@link java.util.ServiceLoader}
 * (file {@code META-INF/services/dev.promkit.promql.engine.FunctionLibrary}).
 */
public interface FunctionLibrary {
  /** Registers this library's functions. */
  void registerAll(FunctionRegistry registry);
}
