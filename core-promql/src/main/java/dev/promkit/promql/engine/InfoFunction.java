package dev.promkit.promql.engine;

import dev.promkit.promql.parser.Call;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.parser.SubqueryExpr;
import dev.promkit.promql.parser.VectorSelector;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The experimental {@code info(v, {selector})} function: enriches each series with the data labels
 * of the info series ({@code target_info} by default) that share its identifying labels
 * ({@code instance}, {@code job}), as Prometheus 3.x does.
 */
final class InfoFunction {
  private static final String TARGET_INFO = "target_info";
  private static final List<String> IDENTIFYING = List.of("instance", "job");

  private final Evaluator ev;

  InfoFunction(Evaluator ev) {
    this.ev = ev;
  }

  Matrix eval(Call c) {
    List<Expr> args = c.args();
    Matrix mat = ev.evalMatrix(args.get(0));
    Map<String, List<LabelMatcher>> dataMatchers = new LinkedHashMap<>();
    List<LabelMatcher> nameMatchers = new ArrayList<>();
    if (args.size() > 1) {
      VectorSelector sel = (VectorSelector) Evaluator.unwrap(args.get(1));
      for (LabelMatcher m : sel.matchers()) {
        dataMatchers.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
        if (m.name().equals(Labels.METRIC_NAME)) {
          nameMatchers.add(m);
        }
      }
    }
    // Which metrics count as info metrics: target_info unless the selector names others; with
    // only negative name matchers, the *_info metrics they do not exclude.
    boolean positive = nameMatchers.stream()
        .anyMatch(m -> m.type() == LabelMatcher.Type.EQ || m.type() == LabelMatcher.Type.RE);
    if (nameMatchers.isEmpty()) {
      nameMatchers.add(LabelMatcher.eq(Labels.METRIC_NAME, TARGET_INFO));
    } else if (!positive) {
      nameMatchers.add(LabelMatcher.re(Labels.METRIC_NAME, ".+_info"));
    }
    // Info series themselves are not enriched.
    Set<Labels> ignore = new HashSet<>();
    for (Series s : mat) {
      String name = s.metric().metricName();
      if (!nameMatchers.isEmpty() && nameMatchers.stream().allMatch(m -> m.matches(name))) {
        ignore.add(s.metric());
      }
    }
    Matrix infoMat = fetchInfoSeries(args.get(0), mat, ignore, dataMatchers, nameMatchers);
    return combine(mat, infoMat, ignore, dataMatchers);
  }

  private Matrix fetchInfoSeries(Expr base, Matrix mat, Set<Labels> ignore, Map<String, List<LabelMatcher>> dataMatchers,
      List<LabelMatcher> nameMatchers) {
    Map<String, Set<String>> idValues = new LinkedHashMap<>();
    for (Series s : mat) {
      if (ignore.contains(s.metric())) {
        continue;
      }
      for (String l : IDENTIFYING) {
        String v = s.metric().get(l);
        if (!v.isEmpty()) {
          idValues.computeIfAbsent(l, k -> new LinkedHashSet<>()).add(v);
        }
      }
    }
    dataMatchers.remove(Labels.METRIC_NAME);
    if (idValues.isEmpty()) {
      return new Matrix();
    }
    List<LabelMatcher> matchers = new ArrayList<>(nameMatchers);
    for (Map.Entry<String, Set<String>> e : idValues.entrySet()) {
      StringBuilder re = new StringBuilder();
      for (String v : e.getValue()) {
        if (re.length() > 0) {
          re.append('|');
        }
        re.append(quoteMeta(v));
      }
      matchers.add(LabelMatcher.re(e.getKey(), re.toString()));
    }
    for (List<LabelMatcher> ms : dataMatchers.values()) {
      matchers.addAll(ms);
    }
    // Info series are read as of the base samples' own reference time (its @ and offsets,
    // those of enclosing subqueries included), at every step.
    List<Expr> path = pathToSelector(base);
    int steps = ev.numSteps();
    long[] refs = new long[steps];
    long minRef = Long.MAX_VALUE;
    long maxRef = Long.MIN_VALUE;
    for (int i = 0; i < steps; i++) {
      refs[i] = refTime(path, ev.start + i * ev.interval);
      minRef = Math.min(minRef, refs[i]);
      maxRef = Math.max(maxRef, refs[i]);
    }
    long lb = ev.qs.opts.lookbackDeltaMillis();
    VectorSelector sel = VectorSelector.of("", matchers, dev.promkit.promql.parser.PositionRange.NONE);
    List<Evaluator.RawSeries> raw = ev.select(sel, minRef - lb + 1, maxRef, 0, "info");
    Matrix out = new Matrix();
    for (Evaluator.RawSeries rs : raw) {
      List<FPoint> pts = new ArrayList<>();
      for (int k = 0; k < steps; k++) {
        long ref = refs[k];
        int i = rs.lastAtOrBefore(ref);
        if (i >= 0 && rs.t[i] > ref - lb && !Evaluator.isStale(rs.v[i])) {
          pts.add(new FPoint(ev.start + k * ev.interval, rs.t[i])); // the value carries the sample's own time
        }
      }
      if (!pts.isEmpty()) {
        out.add(new Series(rs.labels, pts, new ArrayList<>(0), false));
      }
    }
    return out;
  }

  /** Nodes from e down to its first vector selector (empty when there is none). */
  private static List<Expr> pathToSelector(Expr e) {
    if (e instanceof VectorSelector) {
      List<Expr> p = new ArrayList<>();
      p.add(e);
      return p;
    }
    for (Expr c : e.children()) {
      List<Expr> p = pathToSelector(c);
      if (!p.isEmpty()) {
        p.add(0, e);
        return p;
      }
    }
    return new ArrayList<>();
  }

  private long refTime(List<Expr> path, long ts) {
    long t = ts;
    for (Expr n : path) {
      if (n instanceof SubqueryExpr) {
        SubqueryExpr sq = (SubqueryExpr) n;
        Long at = ev.at(sq.timestampMs(), sq.startOrEnd());
        if (at != null) {
          t = at;
        }
        t -= ev.durationMillis(sq.offsetExpr(), sq.offsetMs(), true);
      } else if (n instanceof VectorSelector) {
        VectorSelector vs = (VectorSelector) n;
        Long at = ev.atOf(vs);
        if (at != null) {
          t = at;
        }
        t -= ev.offsetOf(vs);
      }
    }
    return t;
  }

  private static String signature(String infoName, Labels l) {
    StringBuilder sb = new StringBuilder(infoName);
    for (String n : IDENTIFYING) {
      String v = l.get(n);
      if (!v.isEmpty()) {
        sb.append('\u0000').append(n).append('\u0001').append(v);
      }
    }
    return sb.toString();
  }

  private Matrix combine(Matrix mat, Matrix infoMat, Set<Labels> ignore, Map<String, List<LabelMatcher>> dataMatchers) {
    Set<String> infoNames = new LinkedHashSet<>();
    for (Series s : infoMat) {
      infoNames.add(s.metric().metricName());
    }
    Map<Labels, String> infoSigs = new HashMap<>();
    for (Series s : infoMat) {
      infoSigs.put(s.metric(), signature(s.metric().metricName(), s.metric()));
    }
    boolean allMatchEmpty = dataMatchers.values().stream().flatMap(List::stream).allMatch(LabelMatcher::matchesEmpty);
    return ev.rangeEvalMatrices((in, ts) -> {
      Vector base = in[0];
      Vector info = in[1];
      Vector out = new Vector(base.size());
      Map<String, Sample> bySig = new HashMap<>();
      for (Sample s : info) {
        String sig = infoSigs.get(s.metric());
        Sample existing = bySig.get(sig);
        if (existing == null || (long) existing.f() < (long) s.f()) {
          bySig.put(sig, s);
        } else if ((long) existing.f() == (long) s.f()) {
          throw new PromQLException("found duplicate series for info metric: existing " + existing.metric() + " @ "
              + (long) existing.f() + ", new " + s.metric() + " @ " + (long) s.f());
        }
      }
      for (Sample bs : base) {
        if (ignore.contains(bs.metric())) {
          out.add(bs);
          continue;
        }
        Labels.Builder add = new Labels.Builder();
        int seen = 0;
        for (String infoName : infoNames) {
          Sample is = bySig.get(signature(infoName, bs.metric()));
          if (is == null) {
            continue;
          }
          Labels il = is.metric();
          for (int i = 0; i < il.size(); i++) {
            String n = il.name(i);
            if (n.equals(Labels.METRIC_NAME) || (!dataMatchers.isEmpty() && !dataMatchers.containsKey(n))) {
              continue;
            }
            String have = add.get(n);
            if (!have.isEmpty() && !have.equals(il.value(i))) {
              throw new PromQLException("conflicting label: " + n);
            }
            if (bs.metric().has(n)) {
              continue;
            }
            add.set(n, il.value(i));
          }
          seen++;
        }
        if (seen == 0 && !allMatchEmpty) {
          continue;
        }
        Labels.Builder b = bs.metric().toBuilder();
        add.build().forEach(b::set);
        out.add(new Sample(b.build(), ts, bs.f(), null, bs.dropName()));
      }
      return out;
    }, new Matrix[] {mat, infoMat});
  }

  /** Go's regexp.QuoteMeta. */
  static String quoteMeta(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
