package dev.promkit.server.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads one YAML mapping into a Go-like struct: every key must be a known field (else
 * {@code field foo not found in type config.X}), scalars are converted as Go's yaml.v2 does,
 * and every error names the line.
 */
final class YamlMap {
  private final Map<String, Node> values = new LinkedHashMap<>();
  private final Map<String, Node> keys = new HashMap<>();
  private final Node node;

  private YamlMap(Node node) {
    this.node = node;
  }

  /** A reader over a mapping node (null or a YAML null gives an empty mapping). */
  static YamlMap of(Node node, String goType, Set<String> fields) {
    YamlMap m = new YamlMap(node);
    if (node == null || isNull(node)) {
      return m;
    }
    if (!(node instanceof MappingNode)) {
      throw cannot(node, goType);
    }
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode)) {
        throw err(k, "cannot unmarshal " + kind(k) + " into string");
      }
      String key = ((ScalarNode) k).getValue();
      if (!fields.contains(key)) {
        throw err(k, "field " + key + " not found in type " + goType);
      }
      Node prev = m.keys.put(key, k);
      if (prev != null) {
        throw err(k, "mapping key \"" + key + "\" already defined at line " + line(prev));
      }
      m.values.put(key, t.getValueNode());
    }
    return m;
  }

  static int line(Node n) {
    return n.getStartMark().map(mk -> mk.getLine() + 1).orElse(0);
  }

  static ConfigException err(Node n, String msg) {
    return new ConfigException("yaml: unmarshal errors:\n  line " + line(n) + ": " + msg, line(n));
  }

  /** A validation error (not a YAML type error), still naming the line. */
  static ConfigException invalid(Node n, String msg) {
    return new ConfigException(msg + " (line " + line(n) + ")", line(n));
  }

  static ConfigException cannot(Node n, String goType) {
    String v = n instanceof ScalarNode ? " `" + ((ScalarNode) n).getValue() + "`" : "";
    return err(n, "cannot unmarshal " + kind(n) + v + " into " + goType);
  }

  static String kind(Node n) {
    if (n instanceof MappingNode) {
      return "!!map";
    }
    if (n instanceof SequenceNode) {
      return "!!seq";
    }
    Tag t = n.getTag();
    if (Tag.INT.equals(t)) {
      return "!!int";
    }
    if (Tag.FLOAT.equals(t)) {
      return "!!float";
    }
    if (Tag.BOOL.equals(t)) {
      return "!!bool";
    }
    return "!!str";
  }

  static boolean isNull(Node n) {
    return n instanceof ScalarNode && Tag.NULL.equals(n.getTag());
  }

  Node node() {
    return node;
  }

  boolean has(String key) {
    Node n = values.get(key);
    return n != null && !isNull(n);
  }

  /** The value node, or null when absent or YAML null. */
  Node get(String key) {
    Node n = values.get(key);
    return n == null || isNull(n) ? null : n;
  }

  /** The line of a key (of the mapping when absent). */
  int lineOf(String key) {
    Node k = keys.get(key);
    return line(k != null ? k : node);
  }

  Node keyNode(String key) {
    Node k = keys.get(key);
    return k != null ? k : node;
  }

  String str(String key, String dflt) {
    Node n = get(key);
    return n == null ? dflt : scalar(n, "string");
  }

  static String scalar(Node n, String goType) {
    if (!(n instanceof ScalarNode)) {
      throw cannot(n, goType);
    }
    return ((ScalarNode) n).getValue();
  }

  boolean bool(String key, boolean dflt) {
    Node n = get(key);
    if (n == null) {
      return dflt;
    }
    if (!(n instanceof ScalarNode) || !Tag.BOOL.equals(n.getTag())) {
      throw cannot(n, "bool");
    }
    String v = ((ScalarNode) n).getValue().toLowerCase(java.util.Locale.ROOT);
    return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y");
  }

  long integer(String key, long dflt, String goType) {
    Node n = get(key);
    if (n == null) {
      return dflt;
    }
    if (!(n instanceof ScalarNode) || !Tag.INT.equals(n.getTag())) {
      throw cannot(n, goType);
    }
    String v = ((ScalarNode) n).getValue().replace("_", "");
    try {
      long x = Long.decode(v);
      if (goType.startsWith("uint") && x < 0) {
        throw cannot(n, goType);
      }
      return x;
    } catch (NumberFormatException e) {
      throw cannot(n, goType);
    }
  }

  /** A Prometheus duration ({@code model.Duration}). */
  PromDuration duration(String key, PromDuration dflt) {
    Node n = get(key);
    if (n == null) {
      return dflt;
    }
    String v = scalar(n, "model.Duration");
    try {
      return PromDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw err(n, "field " + key + ": " + e.getMessage());
    }
  }

  List<String> strList(String key) {
    Node n = get(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode)) {
      throw cannot(n, "[]string");
    }
    List<String> out = new ArrayList<>();
    for (Node e : ((SequenceNode) n).getValue()) {
      out.add(scalar(e, "string"));
    }
    return List.copyOf(out);
  }

  List<Node> list(String key, String goType) {
    Node n = get(key);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof SequenceNode)) {
      throw cannot(n, goType);
    }
    return ((SequenceNode) n).getValue();
  }

  /** A string-to-string mapping, in document order. */
  Map<String, String> strMap(String key, String goType) {
    Node n = get(key);
    if (n == null) {
      return Map.of();
    }
    if (!(n instanceof MappingNode)) {
      throw cannot(n, goType);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) n).getValue()) {
      String k = scalar(t.getKeyNode(), "string");
      Node v = t.getValueNode();
      if (out.containsKey(k)) {
        throw err(t.getKeyNode(), "mapping key \"" + k + "\" already defined");
      }
      out.put(k, isNull(v) ? "" : scalar(v, "string"));
    }
    return out;
  }

  /** A mapping of string to list of strings ({@code url.Values}). */
  Map<String, List<String>> strListMap(String key) {
    Node n = get(key);
    if (n == null) {
      return Map.of();
    }
    if (!(n instanceof MappingNode)) {
      throw cannot(n, "url.Values");
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) n).getValue()) {
      String k = scalar(t.getKeyNode(), "string");
      Node v = t.getValueNode();
      if (!(v instanceof SequenceNode)) {
        throw cannot(v, "[]string");
      }
      List<String> vs = new ArrayList<>();
      for (Node e : ((SequenceNode) v).getValue()) {
        vs.add(scalar(e, "string"));
      }
      out.put(k, List.copyOf(vs));
    }
    return out;
  }
}
