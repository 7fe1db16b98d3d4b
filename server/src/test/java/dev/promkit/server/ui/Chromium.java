package dev.promkit.server.ui;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.promkit.testing.peers.Peers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A headless Chromium driven through the DevTools protocol over a java.net.http WebSocket, with
 * one page. JavaScript dialogs (alert, confirm) are recorded in {@link #dialogs} and dismissed.
 */
final class Chromium implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Path profile;
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  /** Messages of every JavaScript dialog the page opened. */
  final List<String> dialogs = new CopyOnWriteArrayList<>();

  private Chromium(Process process, Path profile, WebSocket ws) {
    this.process = process;
    this.profile = profile;
    this.ws = ws;
  }

  /** Launches /usr/bin/chromium (skips the test when absent, fails when CI=true). */
  static Chromium launch() throws Exception {
    Path exe = Path.of("/usr/bin/chromium");
    if (!Files.isExecutable(exe)) {
      String reason = "/usr/bin/chromium not found (Debian package: chromium)";
      if (Peers.isCi()) {
        throw new AssertionError(reason + "; CI=true requires it");
      }
      System.out.println("SKIPPED: " + reason);
      Assumptions.abort(reason);
    }
    Path profile = Files.createTempDirectory("promkit-chromium-");
    Process p = new ProcessBuilder(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1280,900", "--remote-debugging-port=0",
        "--user-data-dir=" + profile, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> url = new CompletableFuture<>();
      Thread drain = new Thread(() -> { // keeps reading stderr so Chromium never blocks on it
        try {
          for (String line; (line = err.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              url.complete(m.group(1));
            }
          }
        } catch (IOException e) {
          url.completeExceptionally(e);
        }
        url.completeExceptionally(new IllegalStateException("chromium exited without a DevTools URL"));
      }, "chromium-stderr");
      drain.setDaemon(true);
      drain.start();
      URI browser = URI.create(url.get(30, TimeUnit.SECONDS));
      // The browser endpoint's host:port also lists the page targets.
      String list = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      String pageWs = null;
      for (JsonElement t : JsonParser.parseString(list).getAsJsonArray()) {
        if (t.getAsJsonObject().get("type").getAsString().equals("page")) {
          pageWs = t.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
          break;
        }
      }
      if (pageWs == null) {
        throw new IllegalStateException("no page target in " + list);
      }
      Chromium[] self = new Chromium[1];
      WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
        private final StringBuilder buf = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
          buf.append(data);
          if (last) {
            String msg = buf.toString();
            buf.setLength(0);
            self[0].onMessage(JsonParser.parseString(msg).getAsJsonObject());
          }
          w.request(1);
          return null;
        }
      }).get(10, TimeUnit.SECONDS);
      Chromium c = new Chromium(p, profile, ws);
      self[0] = c;
      c.send("Page.enable", new JsonObject());
      c.send("Runtime.enable", new JsonObject());
      return c;
    } catch (Exception | Error e) {
      p.destroyForcibly();
      deleteTree(profile);
      throw e;
    }
  }

  private void onMessage(JsonObject m) {
    if (m.has("id")) {
      CompletableFuture<JsonObject> f = pending.remove(m.get("id").getAsInt());
      if (f != null) {
        f.complete(m);
      }
    } else if ("Page.javascriptDialogOpening".equals(m.get("method").getAsString())) {
      dialogs.add(m.getAsJsonObject("params").get("message").getAsString());
      JsonObject p = new JsonObject();
      p.addProperty("accept", false);
      CompletableFuture.runAsync(() -> sendQuietly("Page.handleJavaScriptDialog", p));
    }
  }

  private void sendQuietly(String method, JsonObject params) {
    try {
      send(method, params);
    } catch (Exception e) {
      System.getLogger("chromium").log(System.Logger.Level.WARNING, method + " failed", e);
    }
  }

  /** Sends a command and returns its result; a protocol error throws. */
  JsonObject send(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    JsonObject msg = new JsonObject();
    msg.addProperty("id", id);
    msg.addProperty("method", method);
    msg.add("params", params);
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    pending.put(id, f);
    synchronized (ws) { // WebSocket allows one outstanding send at a time
      ws.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
    }
    JsonObject r = f.get(30, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + ": " + r.get("error"));
    }
    return r.getAsJsonObject("result");
  }

  /** Evaluates an expression (awaiting a promise) and returns its JSON value (null for undefined). */
  JsonElement eval(String js) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("expression", js);
    p.addProperty("returnByValue", true);
    p.addProperty("awaitPromise", true);
    JsonObject r = send("Runtime.evaluate", p);
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("JS failed: " + js + " -> " + r.get("exceptionDetails"));
    }
    return r.getAsJsonObject("result").get("value");
  }

  String evalString(String js) throws Exception {
    JsonElement e = eval(js);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  /** Polls a boolean expression until it is true; fails after the timeout naming the condition. */
  void waitFor(String js, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonElement v = eval("!!(" + js + ")");
      if (v != null && v.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + js + "; page text: "
            + evalString("document.body ? document.body.innerText.slice(0, 2000) : ''"));
      }
      Thread.sleep(100);
    }
  }

  /** Navigates and waits for the UI's page to report it finished loading (body[data-loaded]). */
  void open(String url) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("url", url);
    send("Page.navigate", p);
    waitFor("document.readyState === 'complete' && document.body && document.body.dataset.loaded", Duration.ofSeconds(20));
  }

  /** Types text into the focused element as keyboard input would. */
  void type(String text) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("text", text);
    send("Input.insertText", p);
  }

  /** Presses and releases a key (e.g. "Enter", "ArrowDown") in the focused element. */
  void press(String key, int keyCode) throws Exception {
    for (String type : new String[] {"rawKeyDown", "keyUp"}) {
      JsonObject p = new JsonObject();
      p.addProperty("type", type);
      p.addProperty("key", key);
      p.addProperty("code", key);
      p.addProperty("windowsVirtualKeyCode", keyCode);
      send("Input.dispatchKeyEvent", p);
    }
  }

  /** Saves a PNG of the viewport. */
  void screenshot(Path file) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("format", "png");
    p.addProperty("captureBeyondViewport", true);
    String data = send("Page.captureScreenshot", p).get("data").getAsString();
    Files.createDirectories(file.getParent());
    Files.write(file, Base64.getDecoder().decode(data));
  }

  static JsonArray array(JsonElement e) {
    return e.getAsJsonArray();
  }

  @Override
  public void close() {
    try {
      ws.abort();
    } finally {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      children.forEach(ProcessHandle::destroy); // renderer and helper processes it started
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
      for (Path x : all) {
        Files.deleteIfExists(x);
      }
    } catch (IOException e) {
      System.getLogger("chromium").log(System.Logger.Level.WARNING, "could not delete " + dir, e);
    }
  }
}
