package dev.promkit.promql.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.testing.peers.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Our rule-test runner and the real {@code promtool test rules} agree on every file's verdict. */
@Tag("interop")
class RuleTestPromtoolInteropTest {
  @Test
  void sameVerdictAsPromtoolForEveryTestFile() throws IOException, InterruptedException {
    Peers.require(Peers.PROMTOOL);
    List<Path> files;
    try (Stream<Path> s = Files.list(RuleTestRunnerTest.DIR)) {
      files = s.filter(p -> p.getFileName().toString().endsWith("_test.yml")).sorted().toList();
    }
    assertTrue(files.size() >= 8, "the corpus has passing and failing files: " + files);
    for (Path f : files) {
      Peers.Result promtool = Peers.run(Peers.PROMTOOL, null, 60, "test", "rules", f.toAbsolutePath().toString());
      boolean ours = RuleTestRunner.run(f).passed();
      assertEquals(promtool.exitCode() == 0, ours, () -> f + ": promtool said\n" + promtool.output() + "\nwe said\n"
          + RuleTestRunner.run(f).report());
      boolean expectPass = f.getFileName().toString().startsWith("pass_");
      assertEquals(expectPass, ours, f + " is named for its expected verdict");
    }
  }

  @Test
  void sameVerdictAsPromtoolCheckRulesForEveryRulesFile() throws IOException, InterruptedException {
    Peers.require(Peers.PROMTOOL);
    List<Path> files;
    try (Stream<Path> s = Files.list(RuleFilesTest.CHECK_DIR)) {
      files = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
    assertTrue(files.size() >= 15, "corpus of good and bad rules files: " + files);
    for (Path f : files) {
      Peers.Result promtool = Peers.run(Peers.PROMTOOL, null, 60, "check", "rules", f.toAbsolutePath().toString());
      String ours;
      try {
        RuleFiles.load(f);
        ours = "valid";
      } catch (RuleFileException e) {
        ours = e.getMessage();
      }
      String verdict = ours;
      assertEquals(promtool.exitCode() == 0, ours.equals("valid"),
          () -> f + ": promtool said\n" + promtool.output() + "\nwe said\n" + verdict);
    }
  }
}
