package dev.promkit.promql.testing;

import dev.promkit.client.metrics.Counter;
import dev.promkit.client.registry.Registry;

class PromQLTestAnnotationTest {
  @PromQLTest
  void scrapesEveryRegistryAsItsOwnTarget(PromQLTestHarness h) {
    Registry a = new Registry();
    Registry b = new Registry();
    Counter.builder().name("jobs").help("Jobs.").register(a).inc(2);
    Counter.builder().name("jobs").help("Jobs.").register(b).inc(5);
    h.addTarget(a).addTarget(b).scrape();
    h.query("sum by (instance) (jobs_total)").assertSize(2).assertValue("{instance=\"app-1\"}", 2)
        .assertValue("{instance=\"app-2\"}", 5);
    h.query("count(up == 1)").assertSingleValue(2);
  }
}
