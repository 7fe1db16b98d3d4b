package dev.promkit.promql.engine;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps function names (as in the parser's function table) to their implementations. Mutable
 * while being set up; the engine only reads it.
 */
public final class FunctionRegistry {
  private final Map<String, FunctionImpl> impls = new TreeMap<>();

  /** An empty registry. */
  public FunctionRegistry() {}

  /** A registry with every implementation promkit ships (all {@link FunctionLibrary} services found). */
  public static FunctionRegistry standard() {
    FunctionRegistry r = new FunctionRegistry();
    for (FunctionLibrary lib : ServiceLoader.load(FunctionLibrary.class, FunctionRegistry.class.getClassLoader())) {
      lib.registerAll(r);
    }
    return r;
  }

  /**
   * Registers (or replaces) the implementation of a function.
   *
   * @return this registry
   */
  public FunctionRegistry register(String name, FunctionImpl impl) {
    impls.put(name, impl);
    return this;
  }

  /** The implementation, or null when none is registered. */
  public FunctionImpl lookup(String name) {
    return impls.get(name);
  }

  /** Names with an implementation. */
  public Set<String> names() {
    return impls.keySet();
  }
}
