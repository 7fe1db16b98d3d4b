package dev.promkit.promql.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Strict reading of YAML node trees with line numbers (1-based), as Go's yaml.v3 with KnownFields. */
final class YamlNodes {
  private YamlNodes() {}

  /** A YAML error at a line; the caller adds the file and context. */
  static final class YamlError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;

    YamlError(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  /** Parses a document; an empty document gives null. */
  static Node compose(String text) {
    try {
      return new Compose(LoadSettings.builder().build()).composeString(text).orElse(null);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new YamlError(line, "yaml: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new YamlError(0, "yaml: " + e.getMessage());
    }
  }

  static int line(Node n) {
    return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  static boolean isNull(Node n) {
    return n == null || (n instanceof ScalarNode && n.getTag().getValue().endsWith(":null"));
  }

  /** The mapping's fields by key, rejecting keys outside {@code allowed} and duplicates. */
  static Map<String, Node> fields(Node n, String type, Set<String> allowed) {
    Map<String, Node> out = new LinkedHashMap<>();
    if (isNull(n)) {
      return out;
    }
    if (!(n instanceof MappingNode)) {
      throw new YamlError(line(n), "cannot unmarshal " + kind(n) + " into " + type);
    }
    for (NodeTuple t : ((MappingNode) n).getValue()) {
      String key = scalar(t.getKeyNode(), "key");
      if (!allowed.contains(key)) {
        throw new YamlError(line(t.getKeyNode()), "field " + key + " not found in type " + type);
      }
      if (out.containsKey(key)) {
        throw new YamlError(line(t.getKeyNode()), "mapping key \"" + key + "\" already defined");
      }
      out.put(key, t.getValueNode());
    }
    return out;
  }

  static String scalar(Node n, String what) {
    if (n == null) {
      return null;
    }
    if (!(n instanceof ScalarNode)) {
      throw new YamlError(line(n), "cannot unmarshal " + kind(n) + " into " + what + " (string)");
    }
    if (isNull(n)) {
      return "";
    }
    return ((ScalarNode) n).getValue();
  }

  static List<Node> sequence(Node n, String what) {
    if (isNull(n)) {
      return List.of();
    }
    if (!(n instanceof SequenceNode)) {
      throw new YamlError(line(n), "cannot unmarshal " + kind(n) + " into " + what + " (list)");
    }
    return new ArrayList<>(((SequenceNode) n).getValue());
  }

  /** A string-to-string mapping (labels, annotations), in file order. */
  static Map<String, String> stringMap(Node n, String what) {
    Map<String, String> out = new LinkedHashMap<>();
    if (isNull(n)) {
      return out;
    }
    if (!(n instanceof MappingNode)) {
      throw new YamlError(line(n), "cannot unmarshal " + kind(n) + " into " + what + " (map)");
    }
    for (NodeTuple t : ((MappingNode) n).getValue()) {
      String k = scalar(t.getKeyNode(), what);
      if (out.containsKey(k)) {
        throw new YamlError(line(t.getKeyNode()), "mapping key \"" + k + "\" already defined");
      }
      out.put(k, scalar(t.getValueNode(), what + "." + k));
    }
    return out;
  }

  static long integer(Node n, String what) {
    String s = scalar(n, what);
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new YamlError(line(n), "cannot unmarshal !!str `" + s + "` into " + what + " (int)");
    }
  }

  static double number(Node n, String what) {
    String s = scalar(n, what);
    try {
      switch (s.toLowerCase()) {
        case ".inf": case "+.inf": case "inf": case "+inf":
          return Double.POSITIVE_INFINITY;
        case "-.inf": case "-inf":
          return Double.NEGATIVE_INFINITY;
        case ".nan": case "nan":
          return Double.NaN;
        default:
          return Double.parseDouble(s);
      }
    } catch (NumberFormatException e) {
      throw new YamlError(line(n), "cannot unmarshal !!str `" + s + "` into " + what + " (float64)");
    }
  }

  static long duration(Node n, String what) {
    String s = scalar(n, what);
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new YamlError(line(n), e.getMessage());
    }
  }

  private static String kind(Node n) {
    if (n instanceof MappingNode) {
      return "!!map";
    }
    if (n instanceof SequenceNode) {
      return "!!seq";
    }
    return "!!str `" + ((ScalarNode) n).getValue() + "`";
  }

}
