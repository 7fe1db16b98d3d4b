package dev.promkit.promql.parser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Broken queries give a {@link ParseException} with a position inside the query, never another
 * exception: prefixes (every 7th length) of every corpus expression, and copies with one character dropped or
 * replaced.
 */
class MalformedInputTest {
  private static final String NOISE = "()[]{}\"'`,:=!~<>@+-*/%^#0123456789.e_xyzInf \\";

  @Test
  void truncatedAndMangledQueriesFailCleanly() throws IOException {
    Random random = new Random(42);
    List<String> problems = new ArrayList<>();
    int tried = 0;
    for (String[] e : CorpusParseTest.corpusExpressions()) {
      String q = e[1];
      for (int len = q.length() % 7; len < q.length(); len += 7) { // a sample keeps it fast
        tried += check(q.substring(0, len), problems);
      }
      for (int k = 0; k < 2 && !q.isEmpty(); k++) {
        int at = random.nextInt(q.length());
        tried += check(q.substring(0, at) + q.substring(at + 1), problems);
        char c = NOISE.charAt(random.nextInt(NOISE.length()));
        tried += check(q.substring(0, at) + c + q.substring(at + 1), problems);
      }
    }
    assertTrue(problems.isEmpty(), tried + " queries tried; unexpected outcomes: " + problems);
  }

  private static int check(String query, List<String> problems) {
    try {
      Parser.parse(query);
    } catch (ParseException ex) {
      int start = ex.positionRange().start();
      if (start < 0 || start > query.length() || !ex.getMessage().contains("parse error: ")) {
        problems.add(query + " -> bad error " + ex.getMessage());
      }
    } catch (RuntimeException ex) {
      problems.add(query + " -> " + ex);
    }
    return 1;
  }
}
