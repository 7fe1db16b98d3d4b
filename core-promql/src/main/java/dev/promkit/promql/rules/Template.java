package dev.promkit.promql.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A parsed template in the subset of Go's text/template that alert labels and annotations use:
 * text, {@code {{ pipeline }}} with {@code |}, fields ({@code .Labels.x}), variables
 * ({@code $labels.x}, {@code $x := ...}), string/number/bool literals, parenthesised pipelines,
 * {@code if/else if/else/end}, {@code range} (with {@code $k, $v :=}), {@code with}, comments and
 * trim markers ({@code {{- -}}}). Functions come from {@link TemplateFunctions}.
 */
final class Template {
  private final String name;
  private final String text;
  private final List<Object> root;

  private Template(String name, String text, List<Object> root) {
    this.name = name;
    this.text = text;
    this.root = root;
  }

  // ---- AST ----
  private record Text(String s) {}

  private record Action(Pipe pipe) {}

  private record If(Pipe cond, List<Object> then, List<Object> otherwise) {}

  private record Range(Pipe pipe, List<Object> body, List<Object> otherwise) {}

  private record With(Pipe pipe, List<Object> body, List<Object> otherwise) {}

  private record Pipe(List<String> decl, boolean assign, List<Cmd> cmds, int pos) {}

  /** A command and its source span (errors quote it as Go does). */
  private record Cmd(List<Object> args, int start, int end) {}

  private record Field(List<String> chain, int at, int pos, int end) {} // .a.b; empty chain = dot

  private record Var(String name, List<String> chain, int at, int pos, int end) {}

  private record Ident(String name) {}

  private record Lit(Object value) {}

  private record Sub(Pipe pipe, List<String> chain) {}

  private static final Object NIL = new Object();

  /** The template's name (in error messages). */
  String name() {
    return name;
  }

  /** Parses, checking functions and variables as Go does at parse time. */
  static Template parse(String name, String text) throws TemplateException {
    Parser p = new Parser(name, text);
    List<Object> nodes = p.list(Set.of());
    return new Template(name, text, nodes);
  }

  /** Expands with {@code dot} as data and these functions; variables {@code $} is dot. */
  String execute(Object dot, TemplateFunctions fns) throws TemplateException {
    StringBuilder out = new StringBuilder();
    Exec e = new Exec(fns, out);
    e.push("$", dot);
    e.walk(root, dot);
    return out.toString();
  }

  // ---------------------------------------------------------------- parser
  private static final class Parser {
    final String name;
    final String s;
    int i;
    int tokStart;
    List<String> tokens;
    List<Integer> tokPos;
    int t;
    final List<String> vars = new ArrayList<>(List.of("$"));
    int actionEnd;

    Parser(String name, String s) {
      this.name = name;
      this.s = s;
    }

    TemplateException err(int pos, String msg) {
      return new TemplateException("template: " + name + ":" + line(pos) + ": " + msg);
    }

    int line(int pos) {
      int l = 1;
      for (int k = 0; k < pos && k < s.length(); k++) {
        if (s.charAt(k) == '\n') {
          l++;
        }
      }
      return l;
    }

    /** Parses nodes until one of the terminators ("end", "else") or EOF; leaves the terminator in `tokens`. */
    List<Object> list(Set<String> terminators) throws TemplateException {
      List<Object> out = new ArrayList<>();
      while (true) {
        int open = s.indexOf("{{", i);
        if (open < 0) {
          if (!terminators.isEmpty()) {
            throw err(s.length(), "unexpected EOF");
          }
          if (i < s.length()) {
            out.add(new Text(s.substring(i)));
          }
          i = s.length();
          return out;
        }
        String txt = s.substring(i, open);
        int start = open + 2;
        if (s.startsWith("- ", start) || s.startsWith("-\t", start) || s.startsWith("-\n", start)) {
          txt = stripTrailing(txt);
          start++;
        }
        if (!txt.isEmpty()) {
          out.add(new Text(txt));
        }
        i = start;
        lexAction(open);
        if (tokens.isEmpty()) {
          continue; // comment
        }
        String first = tokens.get(0);
        if (terminators.contains(first)) {
          return out;
        }
        switch (first) {
          case "if": {
            out.add(parseIf(1));
            break;
          }
          case "range":
          case "with": {
            t = 1;
            int mark = vars.size();
            Pipe pipe = pipeline(first.equals("range"));
            List<Object> body = list(Set.of("end", "else"));
            List<Object> other = List.of();
            if (tokens.get(0).equals("else")) {
              if (tokens.size() > 1) {
                throw err(tokPos.get(0), "unexpected " + quoteTok(tokens.get(1)) + " in else");
              }
              other = list(Set.of("end"));
            }
            truncate(mark);
            out.add(first.equals("range") ? new Range(pipe, body, other) : new With(pipe, body, other));
            break;
          }
          case "end":
          case "else":
            throw err(tokPos.get(0), "unexpected {{" + first + "}}");
          case "define":
          case "template":
          case "block":
          case "break":
          case "continue":
            throw err(tokPos.get(0), "unsupported action \"" + first + "\" in promkit templates");
          default: {
            t = 0;
            out.add(new Action(pipeline(false)));
          }
        }
      }
    }

    private Object parseIf(int startTok) throws TemplateException {
      t = startTok;
      int mark = vars.size();
      Pipe cond = pipeline(false);
      List<Object> then = list(Set.of("end", "else"));
      List<Object> other = List.of();
      if (tokens.get(0).equals("else")) {
        if (tokens.size() > 1 && tokens.get(1).equals("if")) {
          truncate(mark);
          other = List.of(parseIf(2)); // "else if" consumes the shared "end"
          return new If(cond, then, other);
        }
        if (tokens.size() > 1) {
          throw err(tokPos.get(1), "unexpected " + quoteTok(tokens.get(1)) + " in else");
        }
        other = list(Set.of("end"));
      }
      truncate(mark);
      return new If(cond, then, other);
    }

    private void truncate(int mark) {
      while (vars.size() > mark) {
        vars.remove(vars.size() - 1);
      }
    }

    private static String stripTrailing(String x) {
      int e = x.length();
      while (e > 0 && Character.isWhitespace(x.charAt(e - 1))) {
        e--;
      }
      return x.substring(0, e);
    }

    private static String quoteTok(String tok) {
      return "<" + tok + ">";
    }

    /** Tokenises one action starting at i (just after "{{" and an optional trim marker). */
    private void lexAction(int open) throws TemplateException {
      tokens = new ArrayList<>();
      tokPos = new ArrayList<>();
      int k = i;
      while (k < s.length() && (s.charAt(k) == ' ' || s.charAt(k) == '\t')) {
        k++;
      }
      if (s.startsWith("/*", k)) {
        int c = s.indexOf("*/", k + 2);
        if (c < 0) {
          throw err(open, "unclosed comment");
        }
        k = c + 2;
        boolean trim = false;
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
          k++;
        }
        if (s.startsWith("-}}", k)) {
          trim = true;
          k++;
        }
        if (!s.startsWith("}}", k)) {
          throw err(open, "comment ends before closing delimiter");
        }
        i = k + 2;
        if (trim) {
          skipLeadingSpace();
        }
        return;
      }
      while (true) {
        if (k >= s.length()) {
          throw err(open, "unclosed action");
        }
        char c = s.charAt(k);
        if (c == '\n' || c == ' ' || c == '\t' || c == '\r') {
          if (s.startsWith("-}}", k + 1)) {
            i = k + 4;
            skipLeadingSpace();
            return;
          }
          k++;
          continue;
        }
        if (s.startsWith("}}", k)) {
          i = k + 2;
          return;
        }
        int st = k;
        if (c == '"') {
          k++;
          while (k < s.length() && s.charAt(k) != '"') {
            if (s.charAt(k) == '\\') {
              k++;
            }
            if (k < s.length() && s.charAt(k) == '\n') {
              throw err(st, "unterminated quoted string");
            }
            k++;
          }
          if (k >= s.length()) {
            throw err(st, "unterminated quoted string");
          }
          k++;
        } else if (c == '`') {
          int e = s.indexOf('`', k + 1);
          if (e < 0) {
            throw err(st, "unterminated raw quoted string");
          }
          k = e + 1;
        } else if (c == '(' || c == ')' || c == '|' || c == ',') {
          k++;
        } else if (c == ':' && s.startsWith(":=", k)) {
          k += 2;
        } else if (c == '=') {
          k++;
        } else if (Character.isLetterOrDigit(c) || c == '.' || c == '$' || c == '_' || c == '-' || c == '+') {
          k++;
          while (k < s.length()) {
            char d = s.charAt(k);
            if (Character.isLetterOrDigit(d) || d == '_' || d == '.' || d == '$'
                || ((d == '-' || d == '+') && (s.charAt(k - 1) == 'e' || s.charAt(k - 1) == 'E')
                    && !Character.isLetter(c))) { // exponent sign inside a number
              k++;
            } else {
              break;
            }
          }
        } else {
          throw err(k, "unexpected \"" + c + "\" in command");
        }
        tokens.add(s.substring(st, k));
        tokPos.add(st);
      }
    }

    private void skipLeadingSpace() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private boolean more() {
      return t < tokens.size();
    }

    /** Parses the rest of the current action as a pipeline (with an optional declaration). */
    private Pipe pipeline(boolean rangeDecl) throws TemplateException {
      int pos = t < tokPos.size() ? tokPos.get(t) : 0;
      List<String> decl = new ArrayList<>();
      boolean assign = false;
      // declaration: $x := ..., $x = ..., or (range) $i, $v := ...
      int save = t;
      if (more() && tokens.get(t).startsWith("$") && !tokens.get(t).contains(".")) {
        List<String> names = new ArrayList<>();
        names.add(tokens.get(t));
        int u = t + 1;
        if (rangeDecl && u < tokens.size() && tokens.get(u).equals(",") && u + 1 < tokens.size()) {
          names.add(tokens.get(u + 1));
          u += 2;
        }
        if (u < tokens.size() && (tokens.get(u).equals(":=") || tokens.get(u).equals("="))) {
          assign = tokens.get(u).equals("=");
          if (assign && !vars.contains(names.get(0))) {
            throw err(tokPos.get(t), "undefined variable \"" + names.get(0) + "\"");
          }
          decl = names;
          t = u + 1;
        } else {
          t = save;
        }
      }
      List<Cmd> cmds = new ArrayList<>();
      while (true) {
        List<Object> cmd = new ArrayList<>();
        int start = more() ? tokPos.get(t) : pos;
        while (more() && !tokens.get(t).equals("|") && !tokens.get(t).equals(")")) {
          cmd.add(operand());
        }
        if (cmd.isEmpty()) {
          throw err(pos, "missing value for command");
        }
        cmds.add(new Cmd(cmd, start, tokPos.get(t - 1) + tokens.get(t - 1).length()));
        if (more() && tokens.get(t).equals("|")) {
          t++;
          continue;
        }
        break;
      }
      if (more() && tokens.get(t).equals(")") && depth == 0) {
        throw err(tokPos.get(t), "unexpected right paren");
      }
      for (String d : decl) {
        if (!assign) {
          vars.add(d);
        }
      }
      return new Pipe(decl, assign, cmds, pos);
    }

    private int depth;

    private Object operand() throws TemplateException {
      String tok = tokens.get(t);
      int pos = tokPos.get(t);
      t++;
      if (tok.equals("(")) {
        depth++;
        Pipe p = pipeline(false);
        depth--;
        if (!more() || !tokens.get(t).equals(")")) {
          throw err(pos, "unclosed left paren");
        }
        t++;
        List<String> chain = List.of();
        if (more() && tokens.get(t).startsWith(".") && tokPos.get(t) == tokPos.get(t - 1) + 1) {
          chain = chain(tokens.get(t).substring(1));
          t++;
        }
        return new Sub(p, chain);
      }
      if (tok.startsWith("\"")) {
        try {
          return new Lit(unquote(tok, pos));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
          throw err(pos, "invalid syntax in quoted string " + tok);
        }
      }
      if (tok.startsWith("`")) {
        return new Lit(tok.substring(1, tok.length() - 1));
      }
      if (tok.equals(".")) {
        return new Field(List.of(), pos, pos, pos + 1);
      }
      if (tok.startsWith(".")) {
        List<String> ch = chain(tok.substring(1));
        // Go positions a chained field (.a.b) at its second element, and errors say so.
        int at = ch.size() > 1 ? pos + 1 + ch.get(0).length() : pos;
        return new Field(ch, at, pos, pos + tok.length());
      }
      if (tok.startsWith("$")) {
        int dot = tok.indexOf('.');
        String v = dot < 0 ? tok : tok.substring(0, dot);
        if (!vars.contains(v)) {
          throw err(pos, "undefined variable \"" + v + "\"");
        }
        // Go positions $x.a at ".a", and errors say so.
        return new Var(v, dot < 0 ? List.of() : chain(tok.substring(dot + 1)), dot < 0 ? pos : pos + dot,
            pos, pos + tok.length());
      }
      if (tok.equals("true") || tok.equals("false")) {
        return new Lit(Boolean.valueOf(tok));
      }
      if (tok.equals("nil")) {
        return new Lit(NIL);
      }
      char c = tok.charAt(0);
      if (Character.isDigit(c) || c == '-' || c == '+' || c == '.') {
        try {
          if (tok.matches("[-+]?\\d+")) {
            return new Lit(Long.parseLong(tok));
          }
          if (tok.matches("[-+]?0[xX][0-9a-fA-F]+")) {
            return new Lit(Long.decode(tok));
          }
          return new Lit(Double.parseDouble(tok));
        } catch (NumberFormatException e) {
          throw err(pos, "bad number syntax: \"" + tok + "\"");
        }
      }
      if (tok.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        if (!TemplateFunctions.NAMES.contains(tok)) {
          throw err(pos, "function \"" + tok + "\" not defined");
        }
        return new Ident(tok);
      }
      throw err(pos, "unexpected <" + tok + "> in operand");
    }

    private List<String> chain(String dotted) {
      return List.of(dotted.split("\\."));
    }

    private String unquote(String tok, int pos) throws TemplateException {
      StringBuilder b = new StringBuilder();
      for (int k = 1; k < tok.length() - 1; k++) {
        char c = tok.charAt(k);
        if (c != '\\') {
          b.append(c);
          continue;
        }
        char n = tok.charAt(++k);
        switch (n) {
          case 'n': b.append('\n'); break;
          case 't': b.append('\t'); break;
          case 'r': b.append('\r'); break;
          case '\\': b.append('\\'); break;
          case '"': b.append('"'); break;
          case '\'': b.append('\''); break;
          case 'x':
            b.append((char) Integer.parseInt(tok.substring(k + 1, k + 3), 16));
            k += 2;
            break;
          case 'u':
            b.append((char) Integer.parseInt(tok.substring(k + 1, k + 5), 16));
            k += 4;
            break;
          default:
            throw err(pos, "invalid syntax in quoted string " + tok);
        }
      }
      return b.toString();
    }
  }

  // ---------------------------------------------------------------- execution
  private final class Exec {
    final TemplateFunctions fns;
    final StringBuilder out;
    final List<String> varNames = new ArrayList<>();
    final List<Object> varValues = new ArrayList<>();

    Exec(TemplateFunctions fns, StringBuilder out) {
      this.fns = fns;
      this.out = out;
    }

    void push(String n, Object v) {
      varNames.add(n);
      varValues.add(v);
    }

    void truncate(int mark) {
      while (varNames.size() > mark) {
        varNames.remove(varNames.size() - 1);
        varValues.remove(varValues.size() - 1);
      }
    }

    Object lookup(String n) {
      for (int k = varNames.size() - 1; k >= 0; k--) {
        if (varNames.get(k).equals(n)) {
          return varValues.get(k);
        }
      }
      return null;
    }

    void set(String n, Object v) {
      for (int k = varNames.size() - 1; k >= 0; k--) {
        if (varNames.get(k).equals(n)) {
          varValues.set(k, v);
          return;
        }
      }
    }

    void walk(List<Object> nodes, Object dot) throws TemplateException {
      for (Object n : nodes) {
        if (n instanceof Text) {
          out.append(((Text) n).s());
        } else if (n instanceof Action) {
          Pipe p = ((Action) n).pipe();
          Object v = pipe(p, dot);
          if (p.decl().isEmpty()) {
            out.append(TemplateFunctions.print(v));
          }
        } else if (n instanceof If) {
          If f = (If) n;
          int mark = varNames.size();
          boolean c = TemplateFunctions.truth(pipe(f.cond(), dot));
          walk(c ? f.then() : f.otherwise(), dot);
          truncate(mark);
        } else if (n instanceof With) {
          With w = (With) n;
          int mark = varNames.size();
          Object v = pipe(w.pipe(), dot);
          if (TemplateFunctions.truth(v)) {
            walk(w.body(), v);
          } else {
            walk(w.otherwise(), dot);
          }
          truncate(mark);
        } else if (n instanceof Range) {
          range((Range) n, dot);
        } else {
          throw new IllegalStateException("node " + n);
        }
      }
    }

    private void range(Range r, Object dot) throws TemplateException {
      int mark = varNames.size();
      Pipe p = r.pipe();
      Pipe noDecl = new Pipe(List.of(), false, p.cmds(), p.pos());
      Object v = pipe(noDecl, dot);
      List<Object[]> items = new ArrayList<>();
      if (v instanceof List) {
        List<?> l = (List<?>) v;
        for (int k = 0; k < l.size(); k++) {
          items.add(new Object[] {(long) k, l.get(k)});
        }
      } else if (v instanceof Map) {
        for (Map.Entry<?, ?> e : new TreeMap<>((Map<?, ?>) v).entrySet()) {
          items.add(new Object[] {e.getKey(), e.getValue()});
        }
      } else if (v != null && v != NIL) {
        throw execErr(p, "range can't iterate over " + TemplateFunctions.print(v));
      }
      if (items.isEmpty()) {
        walk(r.otherwise(), dot);
      }
      for (Object[] it : items) {
        int inner = varNames.size();
        if (p.decl().size() == 1) {
          push(p.decl().get(0), it[1]);
        } else if (p.decl().size() == 2) {
          push(p.decl().get(0), it[0]);
          push(p.decl().get(1), it[1]);
        }
        walk(r.body(), it[1]);
        truncate(inner);
      }
      truncate(mark);
    }

    TemplateException execErr(int start, int end, String msg) {
      return execErr(start, start, end, msg);
    }

    /** Go's wording: position of the node, then the node as written. */
    TemplateException execErr(int at, int start, int end, String msg) {
      return new TemplateException("template: " + name + ":" + lineCol(at) + ": executing \"" + name
          + "\" at <" + text.substring(start, end).strip() + ">: " + msg);
    }

    TemplateException execErr(Pipe p, String msg) {
      Cmd c = p.cmds().get(0);
      return execErr(c.start(), c.end(), msg);
    }

    private String lineCol(int pos) {
      int line = 1;
      int col = 0;
      for (int k = 0; k < pos && k < text.length(); k++) {
        if (text.charAt(k) == '\n') {
          line++;
          col = 0;
        } else {
          col++;
        }
      }
      return line + ":" + col;
    }

    Object pipe(Pipe p, Object dot) throws TemplateException {
      Object v = null;
      boolean piped = false;
      for (Cmd cmd : p.cmds()) {
        v = command(cmd, dot, v, piped);
        piped = true;
      }
      if (!p.decl().isEmpty()) {
        if (p.assign()) {
          set(p.decl().get(0), v);
        } else {
          push(p.decl().get(0), v);
        }
      }
      return v;
    }

    private Object command(Cmd c, Object dot, Object prev, boolean piped) throws TemplateException {
      List<Object> cmd = c.args();
      Object head = cmd.get(0);
      if (head instanceof Ident) {
        String fn = ((Ident) head).name();
        List<Object> args = new ArrayList<>();
        if (fn.equals("and") || fn.equals("or")) {
          // short-circuit as Go does
          Object last = null;
          List<Object> operands = new ArrayList<>(cmd.subList(1, cmd.size()));
          for (int k = 0; k < operands.size() + (piped ? 1 : 0); k++) {
            last = k < operands.size() ? arg(operands.get(k), dot) : prev;
            boolean tr = TemplateFunctions.truth(last);
            if (fn.equals("and") ? !tr : tr) {
              return last;
            }
          }
          return last;
        }
        for (int k = 1; k < cmd.size(); k++) {
          args.add(arg(cmd.get(k), dot));
        }
        if (piped) {
          args.add(prev);
        }
        try {
          return fns.call(fn, args);
        } catch (TemplateFunctions.CallError e) {
          throw execErr(c.start(), c.end(), "error calling " + fn + ": " + e.getMessage());
        }
      }
      if (cmd.size() > 1 || piped) {
        throw execErr(c.start(), c.end(), "can't give argument to non-function "
            + text.substring(c.start(), c.end()).strip());
      }
      return arg(head, dot);
    }

    private Object arg(Object a, Object dot) throws TemplateException {
      if (a instanceof Lit) {
        Object v = ((Lit) a).value();
        return v == NIL ? null : v;
      }
      if (a instanceof Field) {
        Field f = (Field) a;
        return fields(f.at(), f.pos(), f.end(), dot, f.chain());
      }
      if (a instanceof Var) {
        Var v = (Var) a;
        return fields(v.at(), v.pos(), v.end(), lookup(v.name()), v.chain());
      }
      if (a instanceof Sub) {
        Sub s = (Sub) a;
        int mark = varNames.size();
        Object v = pipe(s.pipe(), dot);
        truncate(mark);
        Cmd c = s.pipe().cmds().get(0);
        return fields(c.start(), c.start(), c.end(), v, s.chain());
      }
      if (a instanceof Ident) {
        try {
          return fns.call(((Ident) a).name(), List.of());
        } catch (TemplateFunctions.CallError e) {
          throw new TemplateException("template: " + name + ": error calling " + ((Ident) a).name() + ": "
              + e.getMessage());
        }
      }
      throw new IllegalStateException("operand " + a);
    }

    private Object fields(int at, int start, int end, Object v, List<String> chain) throws TemplateException {
      for (String f : chain) {
        if (v instanceof Map) {
          Map<?, ?> m = (Map<?, ?>) v;
          Object x = m.get(f);
          if (x == null && !m.containsKey(f)) {
            x = TemplateFunctions.isStringMap(m) ? "" : null;
          }
          v = x;
        } else if (v == null) {
          throw execErr(at, start, end, "nil pointer evaluating interface {}." + f);
        } else {
          throw execErr(at, start, end, "can't evaluate field " + f + " in type " + TemplateFunctions.goType(v));
        }
      }
      return v;
    }
  }
}
