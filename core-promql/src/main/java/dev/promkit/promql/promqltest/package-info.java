/**
 * Runs Prometheus' {@code .test} scripts (the PromQL conformance corpus language) against the
 * promkit engine and a pluggable storage. Entry point: {@link dev.promkit.promql.promqltest.PromqlTestRunner}.
 * Usable from users' own JUnit tests:
 *
 * <pre>{@code
 * ScriptResult r = PromqlTestRunner.create().run("my.test", scriptText);
 * assertTrue(r.allPassed(), r.failureReport());
 * }</pre>
 */
package dev.promkit.promql.promqltest;
