package dev.promkit.tsdb.block;

import java.security.SecureRandom;
import java.util.Random;

/**
 * A ULID: 48-bit millisecond timestamp and 80 random bits, written as 26 Crockford base32
 * characters, so that names sort by creation time. Blocks are named by their ULID.
 */
public final class Ulid implements Comparable<Ulid> {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final long hi; // 48-bit time << 16 | top 16 random bits
  private final long lo; // low 64 random bits

  private Ulid(long hi, long lo) {
    this.hi = hi;
    this.lo = lo;
  }

  /** A new ULID for the current time. */
  public static Ulid generate() {
    return generate(System.currentTimeMillis(), RANDOM);
  }

  /** A ULID for a timestamp (ms, 0 .. 2^48-1) with randomness from {@code random}. */
  public static Ulid generate(long timeMs, Random random) {
    if (timeMs < 0 || timeMs >= (1L << 48)) {
      throw new IllegalArgumentException("ULID time " + timeMs + " outside 48 bits");
    }
    return new Ulid(timeMs << 16 | (random.nextInt() & 0xffff), random.nextLong());
  }

  /**
   * Parses 26 Crockford base32 characters (case-insensitive).
   *
   * @throws IllegalArgumentException for another length, a character outside the alphabet, or overflow
   */
  public static Ulid parse(String s) {
    if (s.length() != 26) {
      throw new IllegalArgumentException("ULID \"" + s + "\": " + s.length() + " characters, want 26");
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 26; i++) {
      int d = digit(Character.toUpperCase(s.charAt(i)));
      if (d < 0) {
        throw new IllegalArgumentException("ULID \"" + s + "\": invalid character at " + i);
      }
      if (i == 0 && d > 7) {
        throw new IllegalArgumentException("ULID \"" + s + "\": exceeds 128 bits");
      }
      hi = hi << 5 | lo >>> 59; // shift the 128-bit value left by 5
      lo = lo << 5 | d;
    }
    return new Ulid(hi, lo);
  }

  private static int digit(char c) {
    for (int i = 0; i < ALPHABET.length; i++) {
      if (ALPHABET[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** The timestamp part (ms). */
  public long timeMs() {
    return hi >>> 16;
  }

  @Override
  public String toString() {
    char[] out = new char[26];
    long h = hi;
    long l = lo;
    for (int i = 25; i >= 0; i--) {
      out[i] = ALPHABET[(int) (l & 31)];
      l = l >>> 5 | h << 59; // shift the 128-bit value right by 5
      h >>>= 5;
    }
    return new String(out);
  }

  @Override
  public int compareTo(Ulid o) {
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ulid && ((Ulid) o).hi == hi && ((Ulid) o).lo == lo;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi) * 31 + Long.hashCode(lo);
  }
}
