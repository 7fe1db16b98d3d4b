package dev.promkit.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import dev.promkit.tsdb.storage.MemoryStorage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A regex that would backtrack for hours fails its query within seconds, naming the regex. */
class PathologicalRegexQueryTest {
  private static MemoryStorage storage() {
    MemoryStorage s = new MemoryStorage();
    Appender app = s.appender();
    app.append(0, Labels.of("__name__", "m", "l", "a".repeat(40) + "b"), 1000, 1);
    app.append(0, Labels.of("__name__", "m", "l", "ok"), 1000, 2);
    app.commit();
    return s;
  }

  @Test
  void pathologicalMatcherFailsTheQueryInsteadOfHanging() {
    MemoryStorage s = storage();
    Engine engine = Engine.builder().build();
    PromQLException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> assertThrows(PromQLException.class, () -> engine.instantQuery(s, "m{l=~\"(.*a){20}\"}", 1000)));
    assertTrue(e.getMessage().contains("regular expression `(.*a){20}` is too expensive to match"), e.getMessage());
    assertTrue(e.getMessage().startsWith("regular expression"), "reported as the regex's fault: " + e.getMessage());
    // a linear pattern over the same long value answers
    assertEquals(1, ((Vector) engine.instantQuery(s, "m{l=~\".*b\"}", 1000).value()).size());
  }

  @Test
  void pathologicalLabelReplaceFailsTheQueryInsteadOfHanging() {
    MemoryStorage s = storage();
    Engine engine = Engine.builder().build();
    PromQLException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(PromQLException.class,
        () -> engine.instantQuery(s, "label_replace(m, \"x\", \"$1\", \"l\", \"(.*a){20}\")", 1000)));
    assertTrue(e.getMessage().contains("regular expression in label_replace() is too expensive to match"), e.getMessage());
  }
}
