package dev.promkit.server.web;

import dev.promkit.promql.engine.QueryResult;
import dev.promkit.promql.value.FPoint;
import dev.promkit.promql.value.Matrix;
import dev.promkit.promql.value.Sample;
import dev.promkit.promql.value.Scalar;
import dev.promkit.promql.value.Series;
import dev.promkit.promql.value.StringValue;
import dev.promkit.promql.value.Value;
import dev.promkit.promql.value.Vector;
import dev.promkit.tsdb.labels.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The success envelope of {@code /api/v1/query} and {@code /api/v1/query_range}, written straight
 * into bytes ({@link JsonBytes}): byte for byte what the Gson-based {@link Json} path writes, without
 * a String per value or a copy of the whole document.
 */
final class QueryJson {
  private QueryJson() {}

  /** The whole response body in memory (for {@link Api#handle}). */
  static byte[] render(QueryResult res) {
    JsonBytes j = new JsonBytes(null);
    try {
      write(j, res);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // no stream: cannot happen
    }
    return j.toByteArray();
  }

  /** Writes the envelope; the caller flushes. */
  static void write(JsonBytes j, QueryResult res) throws IOException {
    j.raw("{\"status\":\"success\",\"data\":");
    result(j, res.value());
    strings(j, "warnings", res.warnings());
    strings(j, "infos", res.infos());
    j.raw('}');
  }

  private static void strings(JsonBytes j, String key, List<String> list) throws IOException {
    if (list.isEmpty()) {
      return;
    }
    j.raw(",\"").raw(key).raw("\":[");
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        j.raw(',');
      }
      j.string(list.get(i));
    }
    j.raw(']');
  }

  private static void result(JsonBytes j, Value v) throws IOException {
    if (v instanceof Matrix) {
      j.raw("{\"resultType\":\"matrix\",\"result\":[");
      boolean first = true;
      for (Series s : (Matrix) v) {
        if (!first) {
          j.raw(',');
        }
        first = false;
        j.raw("{\"metric\":");
        labels(j, s.metric());
        j.raw(",\"values\":[");
        List<FPoint> ps = s.floats();
        for (int i = 0, n = ps.size(); i < n; i++) {
          if (i > 0) {
            j.raw(',');
          }
          FPoint p = ps.get(i);
          j.point(p.t(), p.f());
        }
        j.raw("]}");
      }
      j.raw("]}");
    } else if (v instanceof Vector) {
      j.raw("{\"resultType\":\"vector\",\"result\":[");
      boolean first = true;
      for (Sample s : (Vector) v) {
        if (!first) {
          j.raw(',');
        }
        first = false;
        j.raw("{\"metric\":");
        labels(j, s.metric());
        j.raw(",\"value\":");
        j.point(s.t(), s.f());
        j.raw('}');
      }
      j.raw("]}");
    } else if (v instanceof Scalar) {
      Scalar s = (Scalar) v;
      j.raw("{\"resultType\":\"scalar\",\"result\":");
      j.point(s.t(), s.v());
      j.raw('}');
    } else if (v instanceof StringValue) {
      StringValue s = (StringValue) v;
      j.raw("{\"resultType\":\"string\",\"result\":[").raw(Json.timestamp(s.t())).raw(',').string(s.s()).raw("]}");
    } else {
      throw new IllegalStateException("unexpected result " + v);
    }
  }

  private static void labels(JsonBytes j, Labels l) throws IOException {
    j.raw('{');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        j.raw(',');
      }
      j.string(l.name(i)).raw(':').string(l.value(i));
    }
    j.raw('}');
  }
}
