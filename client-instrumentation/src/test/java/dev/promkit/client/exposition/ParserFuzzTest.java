package dev.promkit.client.exposition;

import static org.junit.jupiter.api.Assertions.fail;

import dev.promkit.client.exposition.ExpositionParser.Entry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Mutated bodies either parse or fail with an ExpositionParseException: never another exception. */
class ParserFuzzTest {
  private static final byte[] INTERESTING = "{}=\",# \n\\\t.eE+-0123456789_aINfT".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(ExpositionFormat.class)
  void malformedInputNeverEscapesAsAnotherException(ExpositionFormat format) {
    byte[] valid = Fixtures.write(format.writer(), Fixtures.allTypes()).getBytes(StandardCharsets.UTF_8);
    Random rnd = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      byte[] body = mutate(valid, rnd);
      try {
        ExpositionParser p = ExpositionParser.create(format, body, 0, body.length);
        while (p.next() != Entry.END) {
          // consume
        }
        ExpositionParser.parseSnapshots(format, body);
      } catch (ExpositionParseException expected) {
        // fine: malformed input reported as such
      } catch (RuntimeException e) {
        fail("mutation " + i + " threw " + e + " on:\n" + new String(body, StandardCharsets.UTF_8), e);
      }
    }
  }

  private static byte[] mutate(byte[] valid, Random rnd) {
    byte[] b = valid.clone();
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = rnd.nextInt(b.length);
      switch (rnd.nextInt(4)) {
        case 0: // replace
          b[at] = rnd.nextBoolean() ? INTERESTING[rnd.nextInt(INTERESTING.length)] : (byte) rnd.nextInt(256);
          break;
        case 1: // delete
          byte[] d = new byte[b.length - 1];
          System.arraycopy(b, 0, d, 0, at);
          System.arraycopy(b, at + 1, d, at, b.length - at - 1);
          b = d.length == 0 ? b : d;
          break;
        case 2: // insert
          byte[] n = new byte[b.length + 1];
          System.arraycopy(b, 0, n, 0, at);
          n[at] = INTERESTING[rnd.nextInt(INTERESTING.length)];
          System.arraycopy(b, at, n, at + 1, b.length - at);
          b = n;
          break;
        default: // truncate
          b = Arrays.copyOf(b, Math.max(1, at));
      }
    }
    return b;
  }
}
