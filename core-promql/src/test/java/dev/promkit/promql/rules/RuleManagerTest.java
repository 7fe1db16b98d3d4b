package dev.promkit.promql.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.engine.Engine;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.MemoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleManagerTest {
  private final MemoryStorage storage = new MemoryStorage();

  private RuleManager manager(InMemoryNotifier sink) {
    return RuleManager.builder().engine(Engine.builder().build()).storage(storage, storage).notifier(sink)
        .restoreForState(false, Duration.ofHours(1), Duration.ofMinutes(10)).build();
  }

  @Test
  void loadsFilesAndEvaluatesAllGroupsInProcess(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("rules.yml");
    Files.writeString(f, "groups:\n- name: a\n  rules:\n  - alert: Down\n    expr: up == 0\n"
        + "- name: b\n  rules:\n  - record: up:sum\n    expr: sum(up)\n");
    Appender app = storage.appender();
    app.append(0, Labels.of("__name__", "up", "job", "x"), 0, 0);
    app.commit();
    InMemoryNotifier sink = new InMemoryNotifier();
    try (RuleManager m = manager(sink)) {
      m.load(List.of(f));
      assertEquals(2, m.groups().size());
      m.evaluateAll(60_000);
      assertEquals(1, m.activeAlerts().size());
      assertEquals(AlertState.FIRING, sink.sent().get(0).state());
      assertEquals(1, m.metrics().collect().list().stream()
          .filter(s -> s.metadata().name().equals("prometheus_rule_group_rules")).count());
    }
  }

  @Test
  void invalidFileKeepsTheRunningGroups(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("good.yml");
    Files.writeString(good, "groups:\n- name: a\n  rules:\n  - record: r\n    expr: up\n");
    Path bad = dir.resolve("bad.yml");
    Files.writeString(bad, "groups:\n- name: a\n  rules:\n  - record: r\n    expr: up(\n");
    try (RuleManager m = manager(new InMemoryNotifier())) {
      m.load(List.of(good));
      RuleFileException e = assertThrows(RuleFileException.class, () -> m.load(List.of(bad)));
      assertTrue(e.getMessage().contains("bad.yml"), e.getMessage());
      assertEquals("a", m.groups().get(0).name());
    }
  }

  @Test
  void reloadKeepsAlertStateOfChangedGroupsAndMarksRemovedGroupsStale() {
    Appender app = storage.appender();
    app.append(0, Labels.of("__name__", "up", "job", "x"), 0, 0);
    app.commit();
    try (RuleManager m = manager(new InMemoryNotifier())) {
      m.update(RuleFiles.parse("r.yml", "groups:\n- name: a\n  rules:\n  - alert: Down\n    expr: up == 0\n"
          + "    for: 1m\n- name: b\n  rules:\n  - record: rec\n    expr: up\n"));
      m.evaluateAll(60_000);
      m.evaluateAll(120_000);
      assertEquals(AlertState.FIRING, m.activeAlerts().get(0).state());
      RuleGroup unchanged = m.groups().get(0);
      // group a gains a rule, group b is removed
      m.update(RuleFiles.parse("r.yml", "groups:\n- name: a\n  rules:\n  - alert: Down\n    expr: up == 0\n"
          + "    for: 1m\n  - record: other\n    expr: up\n"));
      assertTrue(m.groups().get(0) != unchanged, "a changed group is rebuilt");
      assertEquals(1, m.activeAlerts().size());
      assertEquals(AlertState.FIRING, m.activeAlerts().get(0).state(), "alert state survives the reload");
      assertEquals(60_000, m.activeAlerts().get(0).activeAtMillis());
      try (var q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        var ss = q.select(false, dev.promkit.tsdb.storage.SelectHints.of(Long.MIN_VALUE, Long.MAX_VALUE),
            dev.promkit.tsdb.storage.LabelMatcher.eq("__name__", "rec"));
        assertTrue(ss.next());
        var it = ss.at().iterator(null);
        double last = 0;
        while (it.next() == dev.promkit.tsdb.chunkenc.ValueType.FLOAT) {
          last = it.atV();
        }
        assertEquals(0x7ff0000000000002L, Double.doubleToRawLongBits(last), "removed group's series go stale");
      }
    }
  }

  @Test
  void scheduledEvaluationRunsOnTheGroupInterval() throws Exception {
    Appender app = storage.appender();
    long now = System.currentTimeMillis();
    app.append(0, Labels.of("__name__", "up"), now, 1);
    app.commit();
    try (RuleManager m = manager(new InMemoryNotifier())) {
      m.update(RuleFiles.parse("r.yml", "groups:\n- name: fast\n  interval: 50ms\n  rules:\n  - record: r\n    expr: up\n"));
      m.start();
      long deadline = System.currentTimeMillis() + 5000;
      while (m.groups().get(0).stats().iterations.get() < 3 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(m.groups().get(0).stats().iterations.get() >= 3, "group evaluated repeatedly");
      long ts = m.groups().get(0).lastEvaluationTimestampMillis();
      assertEquals(m.groups().get(0).evalTimestamp(ts), ts, "evaluation times are aligned");
    }
  }
}
