package dev.promkit.promql.rules;

import dev.promkit.promql.engine.PromQLException;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A recording rule: its expression's result is written back under a new metric name. */
public final class RecordingRule extends Rule {
  RecordingRule(RuleSpec spec, Expr expr, Labels labels) {
    super(spec, expr, labels);
  }

  @Override
  List<Output> eval(EvalContext ctx, long ts, long queryOffsetMillis, int limit) {
    long qt = ts - queryOffsetMillis;
    Vector v = ctx.query(expr, spec.expr(), qt);
    List<Output> out = new ArrayList<>(v.size());
    Set<Labels> seen = new HashSet<>();
    for (Sample s : v) {
      Labels.Builder b = s.metric().toBuilder().set(Labels.METRIC_NAME, spec.record());
      labels.forEach(b::set);
      Labels l = b.build();
      if (!seen.add(l)) {
        throw new PromQLException("vector contains metrics with the same labelset after applying rule labels");
      }
      out.add(new Output(l, qt, s.f()));
    }
    if (limit > 0 && out.size() > limit) {
      throw new PromQLException("exceeded limit of " + limit + " with " + out.size() + " series");
    }
    return out;
  }
}
