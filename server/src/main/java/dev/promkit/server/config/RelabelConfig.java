package dev.promkit.server.config;

import java.util.List;
import java.util.Locale;

/**
 * One {@code relabel_configs} / {@code metric_relabel_configs} entry, with Prometheus' defaults
 * (separator {@code ;}, regex {@code (.*)} fully anchored, replacement {@code $1}, action replace).
 * Applied by {@code dev.promkit.server.relabel.Relabeler}.
 *
 * @param sourceLabels labels whose values are joined with the separator
 * @param separator joins the source values
 * @param targetLabel the label written by replace, hashmod, lowercase, uppercase; compared by keepequal/dropequal
 * @param regex the (unanchored) regular expression source
 * @param modulus for hashmod
 * @param replacement the replacement template ({@code $1}, {@code ${name}})
 * @param action what to do
 */
public record RelabelConfig(List<String> sourceLabels, String separator, String targetLabel, String regex,
    long modulus, String replacement, Action action) {

  /** Prometheus' default regex. */
  public static final String DEFAULT_REGEX = "(.*)";

  /** The relabel actions, by their YAML names. */
  public enum Action {
    /** Writes the expanded replacement into the target label. */
    REPLACE,
    /** Keeps the series/target when the regex matches the joined source values. */
    KEEP,
    /** Drops it when the regex matches. */
    DROP,
    /** Keeps it when the joined source values equal the target label's value. */
    KEEPEQUAL,
    /** Drops it when they are equal. */
    DROPEQUAL,
    /** Sets the target label to md5(joined source values) mod modulus. */
    HASHMOD,
    /** Copies labels whose names match the regex to the expanded replacement name. */
    LABELMAP,
    /** Removes labels whose names match. */
    LABELDROP,
    /** Removes labels whose names do not match. */
    LABELKEEP,
    /** Sets the target label to the joined source values in lower case. */
    LOWERCASE,
    /** Same, in upper case. */
    UPPERCASE;

    /** The YAML spelling. */
    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The action for a YAML name (case-insensitive, as Prometheus), or null. */
    public static Action fromYaml(String s) {
      for (Action a : values()) {
        if (a.yamlName().equals(s.toLowerCase(Locale.ROOT))) {
          return a;
        }
      }
      return null;
    }
  }

  /** Copies the list. */
  public RelabelConfig {
    sourceLabels = List.copyOf(sourceLabels);
  }

  /** A replace of {@code target} by the (anchored) regex over the source labels. */
  public static RelabelConfig of(Action action, List<String> sourceLabels, String regex, String targetLabel,
      String replacement) {
    return new RelabelConfig(sourceLabels, ";", targetLabel, regex, 0, replacement, action);
  }
}
