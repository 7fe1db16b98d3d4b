package dev.promkit.exporter.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcTextTest {
  @Test
  void walksLinesAndBlankSeparatedFieldsParsingNumbersFromBytes(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("stat"), "cpu0  12 -3\tff\n\nbtime 1700000000\nbig 18446744073709551615 1.5e3\n");
    try (ProcText t = ProcText.read(f)) {
      assertTrue(t.nextLine());
      assertTrue(t.lineStartsWith("cpu") && !t.lineStartsWith("cpu "));
      assertTrue(t.nextField() && t.fieldIs("cpu0"));
      assertTrue(t.nextField());
      assertEquals(12, t.fieldLong());
      assertTrue(t.nextField());
      assertEquals(-3.0, t.fieldDouble());
      assertTrue(t.nextField());
      assertEquals(255, t.fieldHex());
      assertFalse(t.nextField(), "end of line");
      assertTrue(t.nextLine());
      assertFalse(t.nextField(), "an empty line has no fields");
      assertTrue(t.nextLine() && t.nextField() && t.fieldIs("btime") && t.nextField());
      assertEquals(1_700_000_000L, t.fieldLong());
      assertTrue(t.nextLine() && t.skipFields(2));
      assertEquals(1.8446744073709552e19, t.fieldDouble(), "a 64-bit counter above Long.MAX_VALUE");
      assertTrue(t.nextField());
      assertEquals(1500.0, t.fieldDouble());
      assertFalse(t.nextLine());
    }
  }

  @Test
  void rejectsANonNumberNamingIt(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("x"), "12a zz\n");
    try (ProcText t = ProcText.read(f)) {
      t.nextLine();
      t.nextField();
      NumberFormatException e = assertThrows(NumberFormatException.class, t::fieldLong);
      assertTrue(e.getMessage().contains("12a"), e.getMessage());
      t.nextField();
      assertThrows(NumberFormatException.class, t::fieldHex);
    }
  }

  @Test
  void readsFilesLargerThanItsBufferWhole(@TempDir Path dir) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      sb.append("line ").append(i).append('\n');
    }
    Path f = Files.writeString(dir.resolve("big"), sb);
    try (ProcText t = ProcText.read(f)) {
      long sum = 0;
      int lines = 0;
      while (t.nextLine()) {
        t.skipFields(2);
        sum += t.fieldLong();
        lines++;
      }
      assertEquals(20_000, lines);
      assertEquals(19_999L * 20_000 / 2, sum);
    }
  }

  @Test
  void reusesBuffersPerThreadAndAllowsNestedFiles(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "outer 1\nouter 2\n");
    Path b = Files.writeString(dir.resolve("b"), "  inner  \n");
    ProcText first;
    try (ProcText outer = ProcText.read(a)) {
      first = outer;
      assertTrue(outer.nextLine());
      try (ProcText inner = ProcText.read(b)) {
        assertNotSame(outer, inner, "a nested read gets its own buffer");
        assertEquals("inner", inner.trimmed());
      }
      assertTrue(outer.nextLine() && outer.skipFields(2));
      assertEquals(2, outer.fieldLong(), "the outer file is intact after the nested read");
    }
    try (ProcText again = ProcText.read(b)) {
      assertSame(first, again, "the released buffer is reused by the next read on this thread");
      assertEquals("inner", again.trimmed());
    }
  }

  @Test
  void keepsNonAsciiTextAsUtf8(@TempDir Path dir) throws Exception {
    Path f = Files.write(dir.resolve("os-release"), "NAME=\"Débian\"\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("NAME=\"Débian\""), HostPaths.lines(f));
  }

  @Test
  void fieldsSplitsOnBlankRunsWithoutEmptyStrings() {
    assertEquals(List.of("a", "b", "c"), List.of(HostPaths.fields("  a \t b   c  ")));
    assertEquals(0, HostPaths.fields(" \t ").length);
  }

  @Test
  void keyCacheDerivesOncePerKeyAndRemembersRejections() {
    AtomicInteger calls = new AtomicInteger();
    KeyCache<String> c = new KeyCache<>(k -> {
      calls.incrementAndGet();
      return k.startsWith("pg") ? "node_vmstat_" + k : null;
    });
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      got.add(c.get("pgfault"));
      got.add(c.get("nr_free_pages"));
    }
    assertEquals(2, calls.get(), "one derivation per key, rejections included");
    assertSame(got.get(0), got.get(2));
    assertEquals(null, got.get(1));
    assertTrue(KeyCache.matches(Pattern.compile("^lo$")).test("lo"));
    assertFalse(KeyCache.matches(null).test("lo"), "no pattern matches nothing");
  }

  @Test
  void keyCacheForgetsPastItsBound() {
    AtomicInteger calls = new AtomicInteger();
    KeyCache<String> c = new KeyCache<>(k -> {
      calls.incrementAndGet();
      return k;
    });
    for (int i = 0; i <= KeyCache.MAX_KEYS; i++) {
      c.get("k" + i);
    }
    c.get("k0");
    assertEquals(KeyCache.MAX_KEYS + 2, calls.get(), "the first key was forgotten when the bound was reached");
  }
}
