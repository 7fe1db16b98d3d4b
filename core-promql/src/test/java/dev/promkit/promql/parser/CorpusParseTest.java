package dev.promkit.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every {@code eval} expression of the 21 conformance scripts (Prometheus 3.14 main) parses with
 * all features enabled, as the Go runner requires, and survives print/parse and pretty/parse
 * round trips.
 */
class CorpusParseTest {
  static final String[] FILES = {
    "aggregators", "at_modifier", "collision", "duration_expression", "extended_vectors",
    "fill-modifier", "functions", "histograms", "info", "limit", "literals",
    "name_label_dropping", "native_histograms", "operators", "range_queries", "selectors",
    "staleness", "start_timestamps", "subquery", "trig_functions", "type_and_unit"
  };
  private static final Pattern INSTANT =
      Pattern.compile("^eval(?:_\\w+)?\\s+instant\\s+at\\s+\\S+\\s+(.*)$");
  private static final Pattern RANGE = Pattern.compile(
      "^eval(?:_\\w+)?\\s+range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+\\s+(.*)$");

  /** file:line and expression of every eval in the corpus. */
  static List<String[]> corpusExpressions() throws IOException {
    List<String[]> out = new ArrayList<>();
    for (String f : FILES) {
      String name = "/promql/testdata/" + f + ".test";
      try (InputStream in = CorpusParseTest.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException("missing resource " + name);
        }
        String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
          String line = lines[i].trim();
          if (!line.startsWith("eval")) {
            continue;
          }
          Matcher m = INSTANT.matcher(line);
          if (!m.matches()) {
            m = RANGE.matcher(line);
            if (!m.matches()) {
              throw new IOException("cannot read eval header " + f + ":" + (i + 1) + ": " + line);
            }
          }
          out.add(new String[] {f + ".test:" + (i + 1), m.group(1)});
        }
      }
    }
    return out;
  }

  @Test
  void everyCorpusExpressionParsesAndRoundTrips() throws IOException {
    List<String[]> exprs = corpusExpressions();
    List<String> failures = new ArrayList<>();
    for (String[] e : exprs) {
      try {
        Expr parsed = Parser.parse(e[1]);
        String printed = Printer.print(parsed);
        Expr again = Parser.parse(printed);
        if (!Asts.strip(parsed).equals(Asts.strip(again))) {
          failures.add(e[0] + " round trip changed " + e[1] + " -> " + printed);
        }
        String pretty = Printer.pretty(parsed);
        if (!Asts.strip(parsed).equals(Asts.strip(Parser.parse(pretty)))) {
          failures.add(e[0] + " pretty form changed " + e[1] + " -> " + pretty);
        }
      } catch (ParseException ex) {
        failures.add(e[0] + " " + e[1] + " : " + ex.getMessage());
      }
    }
    System.out.println("CorpusParseTest: " + exprs.size() + " eval expressions, "
        + (exprs.size() - failures.size()) + " parse and round-trip");
    assertEquals(List.of(), failures);
    assertTrue(exprs.size() >= 2214, "the inventory counts 2214 evals, found " + exprs.size());
  }
}
