package dev.promkit.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupingKeyPathTest {
  private static String path(String job, String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return GroupingKeyPath.of(job, m);
  }

  @Test
  void plainValuesStayReadable() {
    assertEquals("/metrics/job/backup/instance/db-1", path("backup", "instance", "db-1"));
  }

  @Test
  void valueWithSlashIsUrlSafeBase64WithoutPadding() {
    assertEquals("/metrics/job/j/path@base64/L3Zhci90bXA", path("j", "path", "/var/tmp"));
    // "??>" encodes to "Pz8-" in URL-safe base64 ("Pz8+" in the standard alphabet).
    assertEquals("/metrics/job/j/p@base64/Pz8-Lw", path("j", "p", "??>/"));
  }

  @Test
  void emptyValueIsBase64Equals() {
    assertEquals("/metrics/job/j/instance@base64/=", path("j", "instance", ""));
  }

  @Test
  void spacesAndNonAsciiArePercentEncodedUtf8() {
    assertEquals("/metrics/job/j/inst/a%20b%C3%A9%2B", path("j", "inst", "a bé+"));
  }

  @Test
  void jobWithSlashIsBase64Too() {
    assertEquals("/metrics/job@base64/YS9i", path("a/b"));
  }

  @Test
  void dotSegmentsAreBase64SoPathCleaningCannotEatThem() {
    assertEquals("/metrics/job/j/x@base64/Li4", path("j", "x", ".."));
  }
}
