package dev.promkit.tsdb.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XxHash64Test {
  @Test
  void matchesTheReferenceVectors() {
    assertEquals(0xEF46DB3751D8E999L, XxHash64.hash(new byte[0]));
    assertEquals(0x44BC2CF5AD770999L, XxHash64.hash("abc".getBytes(StandardCharsets.US_ASCII)));
    // Over 32 bytes: the four-lane path.
    assertEquals(0xFBCEA83C8A378BF1L,
        XxHash64.hash("Nobody inspects the spammish repetition".getBytes(StandardCharsets.US_ASCII)));
  }
}
