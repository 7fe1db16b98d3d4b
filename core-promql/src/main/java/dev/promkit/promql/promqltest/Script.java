package dev.promkit.promql.promqltest;

import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code .test} script: a list of load, clear and eval commands (FORMAT.md §1–5). */
final class Script {
  final String name;
  final List<Object> commands = new ArrayList<>();

  private Script(String name) {
    this.name = name;
  }

  static final class Load {
    final int line;
    final long step;
    final boolean nhcb;
    final Map<Labels, SeriesDesc> series = new LinkedHashMap<>();
    final Map<Labels, SeriesDesc> startTimestamps = new LinkedHashMap<>();

    Load(int line, long step, boolean nhcb) {
      this.line = line;
      this.step = step;
      this.nhcb = nhcb;
    }
  }

  static final class Clear {
    final int line;

    Clear(int line) {
      this.line = line;
    }
  }

  /** An annotation expectation: any (both null), exact message, or regex found in the message. */
  record AnnotationExpectation(String msg, Pattern regex) {
    boolean matches(String s) {
      if (msg != null) {
        return msg.equals(s);
      }
      if (regex != null) {
        return regex.matcher(s).find();
      }
      return true;
    }

    @Override
    public String toString() {
      return msg != null ? "msg:" + msg : regex != null ? "regex:" + regex : "(any)";
    }
  }

  static final class Eval {
    final int line;
    final String expr;
    final boolean range;
    long at;
    long start;
    long end;
    long step;
    boolean fail;
    String failMsg;
    Pattern failRegex;
    boolean ordered;
    final List<AnnotationExpectation> warns = new ArrayList<>();
    final List<AnnotationExpectation> infos = new ArrayList<>();
    boolean noWarn;
    boolean noInfo;
    boolean rangeVector;
    long rvStart;
    long rvEnd;
    long rvStep;
    String expectString;
    Double scalar;
    final Map<Labels, SeriesDesc> expected = new LinkedHashMap<>();
    final List<Labels> order = new ArrayList<>();

    Eval(int line, String expr, boolean range) {
      this.line = line;
      this.expr = expr;
      this.range = range;
    }

    boolean expectsHistogram() {
      for (SeriesDesc d : expected.values()) {
        if (d.hasHistogram()) {
          return true;
        }
      }
      return false;
    }
  }

  private static final Pattern INSTANT = Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(\\S+?))?\\s+(.+)$");
  private static final Pattern RANGE = Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.+)$");
  private static final Pattern LOAD = Pattern.compile("^load(_with_nhcb)?\\s+(\\S+)$");
  private static final Pattern RANGE_VECTOR = Pattern.compile("^expect\\s+range\\s+vector\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)$");
  private static final Pattern EXPECT = Pattern.compile("^expect\\s+(fail|warn|info|no_warn|no_info|ordered)(?:\\s+(msg|regex):(.*))?$");

  /** Parses a script; syntax errors name the file and line. */
  static Script parse(String name, String text) {
    Script sc = new Script(name);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      lines[i] = lines[i].trim();
      if (lines[i].startsWith("#")) {
        lines[i] = "";
      }
    }
    int i = 0;
    while (i < lines.length) {
      String l = lines[i];
      if (l.isEmpty()) {
        i++;
        continue;
      }
      String word = l.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
      try {
        if (word.equals("clear")) {
          sc.commands.add(new Clear(i + 1));
          i++;
        } else if (word.startsWith("load")) {
          i = parseLoad(sc, lines, i);
        } else if (word.startsWith("eval")) {
          i = parseEval(sc, lines, i);
        } else {
          throw new IllegalArgumentException("invalid command \"" + l + "\"");
        }
      } catch (ScriptException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new ScriptException(name, i + 1, e.getMessage());
      }
    }
    return sc;
  }

  private static int parseLoad(Script sc, String[] lines, int i) {
    Matcher m = LOAD.matcher(lines[i]);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid load command (load <step:duration>)");
    }
    Load load = new Load(i + 1, Durations.parse(m.group(2)), m.group(1) != null);
    i++;
    SeriesDesc pendingSt = null;
    for (; i < lines.length && !lines[i].isEmpty(); i++) {
      SeriesDesc d;
      try {
        d = SeriesDesc.parse(lines[i]);
      } catch (RuntimeException e) {
        throw new ScriptException(sc.name, i + 1, "bad series line: " + e.getMessage());
      }
      if (d.startTimestamps) {
        pendingSt = d;
        continue;
      }
      if (pendingSt != null) {
        if (!pendingSt.labels.equals(d.labels) || pendingSt.values.size() != d.values.size()) {
          throw new ScriptException(sc.name, i + 1, "@st line does not match the series line after it");
        }
        load.startTimestamps.put(d.labels, pendingSt);
        pendingSt = null;
      }
      load.series.put(d.labels, d);
    }
    sc.commands.add(load);
    return i;
  }

  private static int parseEval(Script sc, String[] lines, int i) {
    String header = lines[i];
    Eval ev;
    String legacy;
    Matcher m = INSTANT.matcher(header);
    if (m.matches()) {
      ev = new Eval(i + 1, m.group(3).trim(), false);
      legacy = m.group(1);
      ev.at = m.group(2) == null ? 0 : Durations.parse(m.group(2));
    } else {
      m = RANGE.matcher(header);
      if (!m.matches()) {
        throw new IllegalArgumentException("invalid eval command: " + header);
      }
      ev = new Eval(i + 1, m.group(5).trim(), true);
      legacy = m.group(1);
      ev.start = Durations.parse(m.group(2));
      ev.end = Durations.parse(m.group(3));
      ev.step = Durations.parse(m.group(4));
      if (ev.end < ev.start) {
        throw new IllegalArgumentException("invalid test definition, end timestamp (" + m.group(3)
            + ") is before start timestamp (" + m.group(2) + ")");
      }
    }
    if (legacy != null) {
      switch (legacy) {
        case "fail": ev.fail = true; break;
        case "warn": ev.warns.add(new AnnotationExpectation(null, null)); break;
        case "info": ev.infos.add(new AnnotationExpectation(null, null)); break;
        case "ordered": ev.ordered = true; break;
        default: break;
      }
    }
    i++;
    for (; i < lines.length && !lines[i].isEmpty(); i++) {
      String l = lines[i];
      if ("fail".equals(legacy) && l.startsWith("expected_fail_message")) {
        ev.failMsg = l.substring("expected_fail_message".length()).trim();
        return i + 1;
      }
      if ("fail".equals(legacy) && l.startsWith("expected_fail_regexp")) {
        ev.failRegex = Pattern.compile(l.substring("expected_fail_regexp".length()).trim());
        return i + 1;
      }
      Matcher rv = RANGE_VECTOR.matcher(l);
      if (rv.matches()) {
        ev.rangeVector = true;
        ev.rvStart = Durations.parse(rv.group(1));
        ev.rvEnd = Durations.parse(rv.group(2));
        ev.rvStep = Durations.parse(rv.group(3));
        continue;
      }
      if (l.startsWith("expect string")) {
        ev.expectString = GoStrings.unquote(l.substring("expect string".length()).trim());
        continue;
      }
      if (l.split("\\s+", 2)[0].equals("expect")) {
        Matcher em = EXPECT.matcher(l);
        if (!em.matches()) {
          throw new ScriptException(sc.name, i + 1, "invalid expect line: " + l);
        }
        String kind = em.group(1);
        String mode = em.group(2);
        String text = em.group(3) == null ? null : em.group(3).trim();
        String msg = "msg".equals(mode) ? text : null;
        Pattern re = "regex".equals(mode) ? Pattern.compile(text) : null;
        switch (kind) {
          case "fail":
            ev.fail = true;
            ev.failMsg = msg;
            ev.failRegex = re;
            break;
          case "warn": ev.warns.add(new AnnotationExpectation(msg, re)); break;
          case "info": ev.infos.add(new AnnotationExpectation(msg, re)); break;
          case "no_warn": ev.noWarn = true; break;
          case "no_info": ev.noInfo = true; break;
          case "ordered": ev.ordered = true; break;
          default: throw new AssertionError(kind);
        }
        continue;
      }
      Double scalar = tryNumber(l);
      if (scalar != null) {
        ev.scalar = scalar;
        sc.commands.add(ev);
        return i + 1;
      }
      SeriesDesc d;
      try {
        d = SeriesDesc.parse(l);
      } catch (RuntimeException e) {
        throw new ScriptException(sc.name, i + 1, "bad expected series: " + e.getMessage());
      }
      if (!ev.range && !ev.rangeVector && d.values.size() != 1) {
        throw new ScriptException(sc.name, i + 1, "expected exactly one value for an instant eval, got " + d.values.size());
      }
      if (ev.expected.put(d.labels, d) == null) {
        ev.order.add(d.labels);
      }
    }
    if ((ev.noWarn && !ev.warns.isEmpty()) || (ev.noInfo && !ev.infos.isEmpty())) {
      throw new ScriptException(sc.name, ev.line, "cannot combine expect warn/info with expect no_warn/no_info");
    }
    sc.commands.add(ev);
    return i;
  }

  private static Double tryNumber(String l) {
    if (l.contains(" ") || l.contains("{") || l.contains("\t")) {
      return null;
    }
    try {
      return SeriesDesc.parseNumber(l);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
