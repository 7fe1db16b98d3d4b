package dev.promkit.exporter.node;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a collector derives from a key of a host file (a regex verdict, a metric name and help),
 * computed once per key: the keys of /proc/vmstat, /proc/net/netstat or the device list hardly
 * change between scrapes, so a scrape matches no regex and concatenates no names. Thread-safe;
 * forgets everything past {@value #MAX_KEYS} keys, so a host inventing names cannot grow it forever.
 *
 * @param <V> the derived value; null from the function means "not selected"
 */
final class KeyCache<V> {
  static final int MAX_KEYS = 8192;
  private static final Object ABSENT = new Object();

  private final ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();
  private final Function<String, V> derive;

  KeyCache(Function<String, V> derive) {
    this.derive = derive;
  }

  /** A cache of whether {@code pattern} finds a match in a key (null: never). */
  static KeyCache<Boolean> matches(Pattern pattern) {
    return new KeyCache<>(k -> pattern != null && pattern.matcher(k).find() ? Boolean.TRUE : null);
  }

  /** The value derived from the key, or null when the function returned null. */
  @SuppressWarnings("unchecked")
  V get(String key) {
    Object v = map.get(key);
    if (v == null) {
      if (map.size() >= MAX_KEYS) {
        map.clear();
      }
      V derived = derive.apply(key);
      v = derived == null ? ABSENT : derived;
      map.put(key, v);
    }
    return v == ABSENT ? null : (V) v;
  }

  /** True when {@link #get} is non-null (for {@link #matches} caches: the pattern matches). */
  boolean test(String key) {
    return get(key) != null;
  }
}
