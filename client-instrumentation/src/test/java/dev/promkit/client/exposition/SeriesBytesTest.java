package dev.promkit.client.exposition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.client.exposition.ExpositionParser.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ExpositionParser#seriesBytes()}: equal exactly for equal names and label lists. */
class SeriesBytesTest {
  /** One parsed sample: its series bytes (copied) and its decoded name and labels. */
  private record Parsed(byte[] key, List<String> series) {}

  private static List<Parsed> parse(ExpositionFormat format, String body) throws ExpositionParseException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ExpositionParser p = ExpositionParser.create(format, b, 0, b.length);
    List<Parsed> out = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.END; e = p.next()) {
      if (e == Entry.SAMPLE) {
        byte[] key = Arrays.copyOfRange(p.seriesBytes(), p.seriesOffset(), p.seriesOffset() + p.seriesLength());
        List<String> series = new ArrayList<>();
        series.add(p.name());
        for (int i = 0; i < p.labelCount(); i++) {
          series.add(p.labelName(i));
          series.add(p.labelValue(i));
        }
        out.add(new Parsed(key, series));
      }
    }
    return out;
  }

  @Test
  void plainLineIsHandedOutAsTheBodyItself() throws ExpositionParseException {
    byte[] body = "a_total{x=\"1\",y=\"q\\\"\"} 3\n".getBytes(StandardCharsets.UTF_8);
    ExpositionParser p = ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, body, 0, body.length);
    assertEquals(Entry.SAMPLE, p.next());
    assertSame(body, p.seriesBytes());
    assertEquals(0, p.seriesOffset());
    assertEquals("a_total{x=\"1\",y=\"q\\\"\"}".length(), p.seriesLength());
    assertEquals("q\"", p.labelValue(1));
  }

  @Test
  void spellingsOfOneSeriesGiveTheSameBytes() throws ExpositionParseException {
    List<Parsed> text = parse(ExpositionFormat.PROMETHEUS_TEXT, String.join("\n",
        "m{a=\"1\",b=\"x\\\\y\\n\"} 1",
        "m{ a = \"1\" ,\tb=\"x\\\\y\\n\" , } 1",
        "{\"m\",a=\"1\",b=\"x\\\\y\\n\"} 1",
        "m{\"a\"=\"1\",b=\"x\\\\y\\n\"} 1",
        "  m{a=\"1\",b=\"x\\\\y\\n\",} 1",
        "") + "\n");
    for (Parsed p : text) {
      assertEquals(List.of("m", "a", "1", "b", "x\\y\n"), p.series());
      assertEquals("m{a=\"1\",b=\"x\\\\y\\n\"}", new String(p.key(), StandardCharsets.UTF_8));
    }
    List<Parsed> bare = parse(ExpositionFormat.PROMETHEUS_TEXT, "m 1\nm{} 2\n{\"m\"} 3\nm{a=\"\\x\"} 4\nm{a=\"\\\\x\"} 5\n");
    assertArrayEquals(bare.get(0).key(), bare.get(1).key());
    assertArrayEquals(bare.get(0).key(), bare.get(2).key());
    assertArrayEquals(bare.get(3).key(), bare.get(4).key()); // both decode to \x: an unknown escape is kept
    List<Parsed> utf8 = parse(ExpositionFormat.OPENMETRICS, "{\"my.metric\",\"some label\"=\"v\"} 1\n# EOF\n");
    assertEquals("{\"my.metric\",\"some label\"=\"v\"}", new String(utf8.get(0).key(), StandardCharsets.UTF_8));
  }

  @Test
  void bytesAreEqualExactlyWhenNameAndLabelsAreEqual() throws ExpositionParseException {
    Random rnd = new Random(11);
    String[] names = {"m", "m_total", "a:b", "my.metric", "x y"};
    String[] labelNames = {"a", "b", "le", "a.b", "é"};
    String[] values = {"", "1", "x\\y", "q\"", "l\nm", "ü", "\\x"};
    StringBuilder body = new StringBuilder();
    for (int line = 0; line < 3000; line++) {
      String name = names[rnd.nextInt(names.length)];
      boolean legacy = NameEscaping.isLegacyMetricName(name);
      List<String> items = new ArrayList<>();
      boolean quotedName = !legacy || rnd.nextInt(8) == 0;
      if (quotedName) {
        items.add(quote(name));
      }
      int n = rnd.nextInt(3);
      List<String> used = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String ln = labelNames[rnd.nextInt(labelNames.length)];
        if (used.contains(ln)) {
          continue;
        }
        used.add(ln);
        String lnText = NameEscaping.isLegacyLabelName(ln) && rnd.nextInt(6) != 0 ? ln : quote(ln);
        String blank = rnd.nextInt(5) == 0 ? " " : "";
        items.add(lnText + blank + "=" + blank + quote(values[rnd.nextInt(values.length)]));
      }
      String set = items.isEmpty() && rnd.nextBoolean() ? ""
          : "{" + String.join(!quotedName && rnd.nextInt(5) == 0 ? " , " : ",", items)
              + (rnd.nextInt(7) == 0 && !items.isEmpty() ? ",}" : "}");
      body.append(quotedName ? "" : name).append(set).append(' ').append(line).append('\n');
    }
    List<Parsed> all = parse(ExpositionFormat.PROMETHEUS_TEXT, body.toString());
    assertTrue(all.size() > 2000, "most generated lines are samples");
    int equalPairs = 0;
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < Math.min(all.size(), i + 200); j++) {
        boolean sameSeries = all.get(i).series().equals(all.get(j).series());
        boolean sameBytes = Arrays.equals(all.get(i).key(), all.get(j).key());
        assertEquals(sameSeries, sameBytes, "lines " + i + " and " + j + ": " + all.get(i).series() + " vs "
            + all.get(j).series());
        equalPairs += sameSeries ? 1 : 0;
      }
    }
    assertTrue(equalPairs > 1000, "the generator repeats series under different spellings: " + equalPairs);
  }

  /** As the text format writes a quoted string. */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  @Test
  void undecodedSeriesAreStillChecked() {
    for (String bad : new String[] {"m{a=\"1\",a=\"2\"} 1\n", "m{a=\"\u00ff\"} 1\n", "m{1a=\"x\"} 1\n", "m{a=\"x} 1\n",
        "m{a=\"x\",\"a\"=\"y\"} 1\n"}) {
      byte[] b = bad.getBytes(StandardCharsets.ISO_8859_1);
      ExpositionParser p = ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, b, 0, b.length);
      ExpositionParseException e = assertThrows(ExpositionParseException.class, p::next, bad);
      assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }
  }
}
