package dev.promkit.promql.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit 5 test method that receives a fresh {@link PromQLTestHarness} (and/or its
 * {@link TestClock}) as a parameter: shorthand for {@code @Test} plus
 * {@code @ExtendWith(PromQLExtension.class)}.
 *
 * <pre>{@code
 * @PromQLTest
 * void countsOrders(PromQLTestHarness h) { ... }
 * }</pre>
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Test
@ExtendWith(PromQLExtension.class)
public @interface PromQLTest {}
