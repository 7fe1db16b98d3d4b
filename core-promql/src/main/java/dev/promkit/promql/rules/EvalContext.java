package dev.promkit.promql.rules;

import dev.promkit.promql.engine.Engine;
import dev.promkit.promql.engine.PromQLException;
import dev.promkit.promql.engine.QueryResult;
import dev.promkit.promql.parser.Expr;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Queryable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What rules need to evaluate: the engine, the data, external labels and URL. */
final class EvalContext {
  final Engine engine;
  final Queryable queryable;
  final Map<String, String> externalLabels;
  final String externalUrl;

  EvalContext(Engine engine, Queryable queryable, Map<String, String> externalLabels, String externalUrl) {
    this.engine = engine;
    this.queryable = queryable;
    this.externalLabels = Map.copyOf(externalLabels);
    this.externalUrl = externalUrl == null ? "" : externalUrl;
  }

  /** Prometheus' EngineQueryFunc: an instant query whose scalar result becomes a one-sample vector. */
  Vector query(Expr expr, String text, long ts) {
    QueryResult r = engine.instantQuery(queryable, expr, text, ts);
    return toVector(r.value());
  }

  Vector query(String text, long ts) {
    return toVector(engine.instantQuery(queryable, text, ts).value());
  }

  private static Vector toVector(Value v) {
    if (v instanceof Vector) {
      return (Vector) v;
    }
    if (v instanceof Scalar) {
      Vector out = new Vector(1);
      out.add(new Sample(Labels.empty(), ((Scalar) v).t(), ((Scalar) v).v()));
      return out;
    }
    throw new PromQLException("rule result is not a vector or scalar");
  }

  /** The template query function at this evaluation time. */
  TemplateFunctions.QueryFunc templateQuery(long ts) {
    return q -> {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Sample s : query(q, ts)) {
        Map<String, String> m = new java.util.TreeMap<>();
        s.metric().forEach(m::put);
        out.add(TemplateFunctions.sample(m, s.f()));
      }
      return out;
    };
  }
}
