package dev.promkit.server.discovery;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import dev.promkit.server.config.Config;
import dev.promkit.server.config.ConfigException;
import dev.promkit.server.config.FileSdConfig;
import dev.promkit.server.config.StaticConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * File-based service discovery ({@code file_sd_configs}): each matching JSON or YAML file holds a
 * list of {@code {targets: [...], labels: {...}}} groups; every group gets {@code __meta_filepath}.
 * A file that cannot be read or parsed keeps its last good groups (and the error is logged), as
 * Prometheus does. Thread-safe.
 */
public final class FileDiscovery {
  private static final System.Logger LOG = System.getLogger(FileDiscovery.class.getName());
  private final Map<Path, List<StaticConfig>> lastGood = new HashMap<>();

  /** The groups of every file matching the configuration's patterns, read now. */
  public synchronized List<StaticConfig> discover(FileSdConfig sd) {
    List<StaticConfig> out = new ArrayList<>();
    for (String pattern : sd.files()) {
      for (Path f : expand(Path.of(pattern))) {
        try {
          List<StaticConfig> groups = read(f);
          lastGood.put(f, groups);
          out.addAll(groups);
        } catch (IOException | RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "file_sd: error reading " + f + ": " + e.getMessage());
          out.addAll(lastGood.getOrDefault(f, List.of()));
        }
      }
    }
    return out;
  }

  /**
   * Reads one file's groups.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is malformed (the message names the file)
   */
  public static List<StaticConfig> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String name = file.getFileName().toString();
    List<StaticConfig> raw;
    if (name.endsWith(".json")) {
      raw = readJson(text, file);
    } else {
      try {
        String wrapped = "scrape_configs:\n  - job_name: x\n    static_configs:\n"
            + (text.isBlank() ? "      []\n" : text.indent(6));
        raw = Config.parse(wrapped).scrapeConfigs().get(0).staticConfigs();
      } catch (ConfigException e) {
        // The groups were indented under a 3-line wrapper: report the file's own line numbers.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+)").matcher(e.getMessage());
        StringBuilder msg = new StringBuilder();
        while (m.find()) {
          m.appendReplacement(msg, "line " + Math.max(1, Integer.parseInt(m.group(1)) - 3));
        }
        m.appendTail(msg);
        throw new IllegalArgumentException(file + ": " + msg, e);
      }
    }
    List<StaticConfig> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Map<String, String> labels = new LinkedHashMap<>(raw.get(i).labels());
      labels.put("__meta_filepath", file.toString());
      out.add(new StaticConfig(raw.get(i).targets(), labels, file + ":" + i));
    }
    return out;
  }

  private static List<StaticConfig> readJson(String text, Path file) {
    try {
      JsonElement root = JsonParser.parseString(text);
      if (!root.isJsonArray()) {
        throw new IllegalArgumentException(file + ": expected a JSON array of target groups");
      }
      List<StaticConfig> out = new ArrayList<>();
      for (JsonElement g : (JsonArray) root) {
        if (!g.isJsonObject()) {
          throw new IllegalArgumentException(file + ": a target group must be an object");
        }
        JsonObject o = g.getAsJsonObject();
        for (String k : o.keySet()) {
          if (!k.equals("targets") && !k.equals("labels")) {
            throw new IllegalArgumentException(file + ": unknown field \"" + k + "\" in target group");
          }
        }
        List<String> targets = new ArrayList<>();
        if (o.has("targets")) {
          for (JsonElement t : o.getAsJsonArray("targets")) {
            targets.add(t.getAsString());
          }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (o.has("labels") && !o.get("labels").isJsonNull()) {
          for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("labels").entrySet()) {
            labels.put(e.getKey(), e.getValue().getAsString());
          }
        }
        out.add(new StaticConfig(targets, labels, file.toString()));
      }
      return out;
    } catch (JsonParseException | IllegalStateException | ClassCastException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> expand(Path pattern) {
    Path dir = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
    String glob = pattern.getFileName().toString();
    List<Path> out = new ArrayList<>();
    if (!glob.contains("*") && !glob.contains("?") && !glob.contains("[")) {
      if (Files.isRegularFile(pattern)) {
        out.add(pattern);
      }
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p)) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "file_sd: cannot list " + dir + ": " + e.getMessage());
    }
    out.sort(null);
    return out;
  }
}
