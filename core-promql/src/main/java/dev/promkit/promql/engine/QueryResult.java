package dev.promkit.promql.engine;

import dev.promkit.promql.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of a successful query.
 *
 * @param query the query text (for rendering annotation positions)
 * @param value a {@link dev.promkit.promql.value.Vector}, {@link dev.promkit.promql.value.Scalar},
 *     {@link dev.promkit.promql.value.StringValue} or {@link dev.promkit.promql.value.Matrix}
 *     (range queries always return a matrix, sorted by labels)
 * @param annotations warnings and info notes collected during evaluation
 */
public record QueryResult(String query, Value value, List<Annotation> annotations) {
  /** Warnings rendered as Prometheus does ("PromQL warning: ... (1:5)"). */
  public List<String> warnings() {
    return render(Annotation.Severity.WARNING);
  }

  /** Info notes rendered as Prometheus does ("PromQL info: ... (1:5)"). */
  public List<String> infos() {
    return render(Annotation.Severity.INFO);
  }

  private List<String> render(Annotation.Severity s) {
    List<String> out = new ArrayList<>();
    for (Annotation a : annotations) {
      if (a.severity() == s) {
        out.add(a.render(query));
      }
    }
    return out;
  }
}
