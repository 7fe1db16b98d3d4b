/**
 * An application's own metrics tested with PromQL inside JUnit: {@link
 * dev.promkit.examples.embedded.CheckoutHandler} is instrumented with a counter and a histogram,
 * and its alerting rules ({@code checkout-alerts.yml} in this package's resources) are what the
 * team deploys to Prometheus; {@code CheckoutHandlerTest} checks both with
 * {@code dev.promkit.promql.testing.PromQLTestHarness}.
 */
package dev.promkit.examples.embedded;
