package dev.promkit.promql.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5 extension: gives each test method a fresh {@link PromQLTestHarness} (and its
 * {@link TestClock}) as a parameter, closes it afterwards, and when the test fails prints the
 * series the harness holds, its alerts and the last query with its result to standard error.
 *
 * <pre>{@code
 * @ExtendWith(PromQLExtension.class)
 * class CheckoutMetricsTest {
 *   @Test
 *   void countsOrders(PromQLTestHarness h) { ... }
 * }
 * }</pre>
 *
 * Needs {@code junit-jupiter-api} on the test class path (core-promql declares it optional).
 */
public final class PromQLExtension implements ParameterResolver, AfterEachCallback, TestExecutionExceptionHandler {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PromQLExtension.class);
  private static final String KEY = "harness";

  /** Used by JUnit. */
  public PromQLExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
    Class<?> t = p.getParameter().getType();
    return t == PromQLTestHarness.class || t == TestClock.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
    if (ctx.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("PromQLExtension injects a harness into test methods only, not "
          + "constructors or lifecycle methods of the class (" + p.getDeclaringExecutable() + ")");
    }
    PromQLTestHarness h = harness(ctx);
    return p.getParameter().getType() == TestClock.class ? h.clock() : h;
  }

  private static PromQLTestHarness harness(ExtensionContext ctx) {
    return ctx.getStore(NS).getOrComputeIfAbsent(KEY, k -> PromQLTestHarness.create(), PromQLTestHarness.class);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext ctx, Throwable failure) throws Throwable {
    PromQLTestHarness h = ctx.getStore(NS).get(KEY, PromQLTestHarness.class);
    if (h != null && !(failure instanceof TestAbortedException)) { // a skipped test is no failure
      System.err.println("[" + ctx.getDisplayName() + " failed] " + h.report());
    }
    throw failure;
  }

  @Override
  public void afterEach(ExtensionContext ctx) {
    PromQLTestHarness h = ctx.getStore(NS).remove(KEY, PromQLTestHarness.class);
    if (h != null) {
      h.close();
    }
  }
}
