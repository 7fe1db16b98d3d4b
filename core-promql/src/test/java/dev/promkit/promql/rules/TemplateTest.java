package dev.promkit.promql.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
  private static String expand(String text, Map<String, String> labels, double value) throws TemplateException {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("Labels", new TemplateFunctions.LabelMap(labels));
    data.put("ExternalLabels", new TemplateFunctions.LabelMap(Map.of("cluster", "eu1")));
    data.put("ExternalURL", "http://prom.example:9090/prefix");
    data.put("Value", value);
    TemplateFunctions fns = new TemplateFunctions(q -> List.of(
        TemplateFunctions.sample(Map.of("instance", "b:9100"), 2.0),
        TemplateFunctions.sample(Map.of("instance", "a:9100"), 1.0)), "http://prom.example:9090/prefix");
    return Template.parse("__alert_T", AlertingRule.DEFS + text).execute(data, fns);
  }

  private static String expand(String text) throws TemplateException {
    return expand(text, Map.of("instance", "host:9100", "job", "node"), 0.123456);
  }

  @Test
  void regexFunctionsUseRe2SyntaxAndGoReplacement() throws Exception {
    assertEquals("host-9100", expand("{{ reReplaceAll `(?P<h>[[:alpha:]]+):(\\d+)` `${h}-$2` $labels.instance }}"));
    assertEquals("-b-c-", expand("{{ reReplaceAll `a*` `-` \"baaac\" }}")); // Go skips the empty match after aaa
    assertEquals("true false", expand("{{ match `\\pL+:` $labels.instance }} {{ match `^\\d` $labels.instance }}"));
    TemplateException e = assertThrows(TemplateException.class, () -> expand("{{ match `(?=x)` \"x\" }}"));
    assertTrue(e.getMessage().contains("error parsing regexp: invalid or unsupported Perl syntax: `(?=`"), e.getMessage());
  }

  @Test
  void expandsLabelsValueAndExternalLabels() throws Exception {
    assertEquals("host:9100 node 0.123456 eu1", expand("{{ $labels.instance }} {{ .Labels.job }} {{ $value }} {{ $externalLabels.cluster }}"));
    assertEquals("", expand("{{ $labels.missing }}"));
    assertEquals("http://prom.example:9090/prefix", expand("{{ $externalURL }}"));
  }

  @Test
  void printsFloatsAsGoDoes() throws Exception {
    assertEquals("1e+06", expand("{{ $value }}", Map.of(), 1_000_000));
    assertEquals("100000", expand("{{ $value }}", Map.of(), 100_000));
    assertEquals("1", expand("{{ $value }}", Map.of(), 1));
    assertEquals("NaN", expand("{{ $value }}", Map.of(), Double.NaN));
  }

  @Test
  void humanizesAsPrometheus() throws Exception {
    assertEquals("1.235k", expand("{{ humanize 1234.5678 }}"));
    assertEquals("123.5m", expand("{{ $value | humanize }}"));
    assertEquals("0", expand("{{ humanize 0 }}"));
    assertEquals("1Mi", expand("{{ humanize1024 1048576.0 }}"));
    assertEquals("1d 1h 1m 1s", expand("{{ humanizeDuration 90061 }}"));
    assertEquals("1m 30s", expand("{{ humanizeDuration 90.5 }}"));
    assertEquals("1.5s", expand("{{ humanizeDuration 1.5 }}"));
    assertEquals("100ms", expand("{{ humanizeDuration 0.1 }}"));
    assertEquals("12.35%", expand("{{ humanizePercentage $value }}"));
    assertEquals("1970-01-01 00:00:01.5 +0000 UTC", expand("{{ humanizeTimestamp 1.5 }}"));
    assertEquals("123.5G", expand("{{ humanize \"123456789012\" }}"));
  }

  @Test
  void formatsWithPrintfVerbs() throws Exception {
    assertEquals("0.12 x 7 \"q\" 0.123456 0.123456 005", expand(
        "{{ printf \"%.2f %s %d %q %v %g %03d\" $value \"x\" 7 \"q\" $value $value 5 }}"));
    assertEquals("%!d(float64=0.123456)", expand("{{ printf \"%d\" $value }}"));
  }

  @Test
  void supportsStringFunctions() throws Exception {
    assertEquals("Hello World HELLO hello", expand("{{ title \"hello world\" }} {{ toUpper \"hello\" }} {{ \"HELLO\" | toLower }}"));
    assertEquals("host", expand("{{ reReplaceAll \"(.*):(.*)\" \"$1\" $labels.instance }}"));
    assertEquals("host", expand("{{ $labels.instance | stripPort }}"));
    assertEquals("true false", expand("{{ match \"^ho\" $labels.instance }} {{ match \"^x\" \"y\" }}"));
    assertEquals("<b>", expand("{{ safeHtml \"<b>\" }}"));
  }

  @Test
  void supportsControlFlowAndComparisons() throws Exception {
    assertEquals("big", expand("{{ if gt $value 0.1 }}big{{ else }}small{{ end }}"));
    assertEquals("small", expand("{{ if lt $value 0.1 }}big{{ else if eq $labels.job \"node\" }}small{{ end }}"));
    assertEquals("node", expand("{{ with $labels.job }}{{ . }}{{ end }}{{ with $labels.none }}x{{ end }}"));
    assertEquals("instance=host:9100,job=node,", expand("{{ range $k, $v := $labels }}{{ $k }}={{ $v }},{{ end }}"));
    assertEquals("a", expand("{{- \"a\" -}}  \n  {{/* comment */}}"));
    assertEquals("yes", expand("{{ $x := 3 }}{{ if and (eq $x 3) (ne $labels.job \"x\") }}yes{{ end }}"));
  }

  @Test
  void runsQueriesThroughTheQueryFunction() throws Exception {
    assertEquals("b:9100=2 a:9100=1 ", expand("{{ range query \"up\" }}{{ .Labels.instance }}={{ .Value }} {{ end }}"));
    assertEquals("a:9100 b:9100 ", expand("{{ range query \"up\" | sortByLabel \"instance\" }}{{ label \"instance\" . }} {{ end }}"));
    assertEquals("2", expand("{{ with query \"up\" }}{{ . | first | value }}{{ end }}"));
    assertEquals("arg0=a arg1=1", expand("{{ with args \"a\" 1 }}arg0={{ .arg0 }} arg1={{ .arg1 }}{{ end }}"));
  }

  @Test
  void reportsExecutionErrorsAsGoDoes() {
    TemplateException e = assertThrows(TemplateException.class, () -> expand("{{ humanize \"abc\" }}"));
    assertTrue(e.getMessage().startsWith("template: __alert_T:1:"), e.getMessage());
    assertTrue(e.getMessage().contains("error calling humanize: strconv.ParseFloat: parsing \"abc\": invalid syntax"),
        e.getMessage());
    TemplateException cmp = assertThrows(TemplateException.class, () -> expand("{{ if gt $value 1 }}x{{ end }}"));
    assertTrue(cmp.getMessage().contains("incompatible types for comparison"), cmp.getMessage());
  }

  @Test
  void rejectsUndefinedFunctionsAndVariablesAtParseTime() {
    assertThrows(TemplateException.class, () -> Template.parse("t", "{{ nope }}"));
    TemplateException e = assertThrows(TemplateException.class, () -> Template.parse("t", "{{ $undefined }}"));
    assertEquals("template: t:1: undefined variable \"$undefined\"", e.getMessage());
    assertThrows(TemplateException.class, () -> Template.parse("t", "{{ if 1 }}"));
    assertThrows(TemplateException.class, () -> Template.parse("t", "{{ end }}"));
    assertThrows(TemplateException.class, () -> Template.parse("t", "{{ \"\\x4\" }}"));
    assertThrows(TemplateException.class, () -> Template.parse("t", "{{ \"\\q\" }}"));
    assertThrows(TemplateException.class, () -> Template.parse("t", "{{ 1e }}"));
  }

  @Test
  void truncatedTemplatesFailOnlyWithTemplateExceptions() throws Exception {
    String[] corpus = {
        "{{ if gt $value 1.0 }}{{ $labels.x | toUpper }}{{ else if eq 1 2 }}b{{ else }}c{{ end }}",
        "{{ range $k, $v := $labels }}{{ printf \"%s=%q\" $k $v }}{{ end }}{{/* c */}}",
        "{{- with query \"up\" -}}{{ . | first | value | humanize }}{{ end -}} `raw` {{ `x` }}",
        "{{ (index $labels \"a\") }} {{ .Labels.a }} {{ $x := 1 }}{{ $x = 2 }}{{ $x }} {{ \"\\n\\x41\\u0042\" }}"};
    for (String t : corpus) {
      expand(t); // the whole template works
      for (int i = 0; i < t.length(); i++) {
        String cut = t.substring(0, i);
        try {
          expand(cut);
        } catch (TemplateException expected) {
          // a clear template error is the only acceptable failure
        }
      }
    }
  }
}
