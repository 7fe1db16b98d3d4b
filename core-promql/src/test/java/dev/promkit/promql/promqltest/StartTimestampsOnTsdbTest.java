package dev.promkit.promql.promqltest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.storage.Appendable;
import dev.promkit.tsdb.storage.Queryable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The corpus' {@code start_timestamps.test} against the real TSDB head ({@link Tsdb#inMemory()})
 * instead of the reference {@code MemoryStorage}: the start timestamps must survive the head's
 * chunks and iterators. Every eval of that file that passes on the reference storage (listed in
 * {@code promql/expected-passes.txt}) must pass here too.
 */
class StartTimestampsOnTsdbTest {
  private static final String FILE = "start_timestamps.test";

  private static StorageFactory tsdb() {
    return () -> {
      Tsdb db = Tsdb.inMemory();
      return new StorageFactory.TestStorage() {
        @Override
        public Queryable queryable() {
          return db;
        }

        @Override
        public Appendable appendable() {
          return db;
        }

        @Override
        public void close() {
          db.close();
        }
      };
    };
  }

  @Test
  void startTimestampEvalsPassOnTheTsdbHeadAsOnTheReferenceStorage() throws IOException {
    Set<String> expected = new TreeSet<>();
    for (String line : ConformanceCorpusTest.resource("promql/expected-passes.txt").split("\n")) {
      if (line.startsWith(FILE + ":")) {
        expected.add(line.trim());
      }
    }
    assertTrue(expected.size() >= 17, "expected-passes lists the file's evals: " + expected);
    String text = ConformanceCorpusTest.resource("promql/testdata/" + FILE);
    ScriptResult onMemory = PromqlTestRunner.create().run(FILE, text);
    ScriptResult onTsdb = PromqlTestRunner.create(tsdb()).run(FILE, text);
    List<String> failed = new ArrayList<>();
    Set<String> passedOnTsdb = new TreeSet<>();
    for (EvalResult e : onTsdb.evals()) {
      if (e.passed()) {
        passedOnTsdb.add(e.key());
      } else if (expected.contains(e.key())) {
        failed.add(e.toString());
      }
    }
    assertTrue(failed.isEmpty(), failed.size() + " evals fail on the TSDB head:\n  " + String.join("\n  ", failed));
    Set<String> passedOnMemory = new TreeSet<>();
    for (EvalResult e : onMemory.evals()) {
      if (e.passed()) {
        passedOnMemory.add(e.key());
      }
    }
    assertEquals(passedOnMemory, passedOnTsdb, "same evals pass on both storages");
  }
}
