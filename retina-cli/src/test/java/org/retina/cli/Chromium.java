package org.retina.cli;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.retina.io.Json;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket on localhost): opens pages, evaluates
 * JavaScript, takes full-page screenshots, and collects every JavaScript exception and console or network error
 * the pages raise.
 */
final class Chromium implements AutoCloseable {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome",
            "google-chrome-stable");
    private static final long TIMEOUT_S = 60;

    private final Process process;
    private final WebSocket socket;
    private final String session;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** The first of chromium, chromium-browser, google-chrome on PATH ({@code $CHROMIUM} first when set). */
    static Optional<Path> binary() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String n : NAMES) {
                candidates.add(Path.of(dir, n));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** Starts the browser with a fresh profile in {@code profile}, offline, and opens one empty tab. */
    static Chromium start(Path binary, Path profile) throws Exception {
        Files.createDirectories(profile);
        Process p = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--window-size=1280,900", "--remote-debugging-port=0",
                "--user-data-dir=" + profile.toAbsolutePath(), "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("Chromium did not open its DevTools port; its log: "
                            + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(100);
            }
            List<String> lines = Files.readAllLines(portFile);
            return new Chromium(p, URI.create("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim()));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private Chromium(Process process, URI browser) throws Exception {
        this.process = process;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(browser, new Listener())
                .get(TIMEOUT_S, TimeUnit.SECONDS);
        String target = (String) call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId");
        this.session = (String) call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .get("sessionId");
        for (String domain : List.of("Runtime", "Log", "Page")) {
            call(domain + ".enable", Map.of());
        }
    }

    /** Reassembles frames into messages: answers complete their calls, events are recorded. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                Map<String, Object> m = Json.parseObject(text.toString());
                text.setLength(0);
                if (m.get("id") instanceof Number id) {
                    pending.remove(id.intValue()).complete(m);
                } else {
                    event(m);
                }
            }
            ws.request(1);
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private void event(Map<String, Object> m) {
        Map<String, Object> p = (Map<String, Object>) m.getOrDefault("params", Map.of());
        switch ((String) m.get("method")) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> errors.add("JavaScript exception: " + Json.write(p.get("exceptionDetails")));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(p.get("type"))) {
                    errors.add("console.error: " + Json.write(p.get("args")));
                }
            }
            case "Log.entryAdded" -> {
                Map<String, Object> entry = (Map<String, Object>) p.get("entry");
                if ("error".equals(entry.get("level"))) {
                    errors.add(entry.get("source") + " error: " + entry.get("text") + " (" + entry.get("url") + ")");
                }
            }
            default -> { }
        }
    }

    private Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
        return call(session, method, params);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call(String sessionId, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("id", id);
        msg.put("method", method);
        msg.put("params", params);
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(Json.write(msg), true).get(TIMEOUT_S, TimeUnit.SECONDS);
        Map<String, Object> r = answer.get(TIMEOUT_S, TimeUnit.SECONDS);
        if (r.containsKey("error")) {
            throw new IOException("DevTools " + method + " failed: " + Json.write(r.get("error")));
        }
        return (Map<String, Object>) r.getOrDefault("result", Map.of());
    }

    /** Opens {@code url} and waits for its load event. */
    void open(String url) throws Exception {
        loaded = new CompletableFuture<>();
        Map<String, Object> r = call("Page.navigate", Map.of("url", url));
        if (r.get("errorText") instanceof String err && !err.isEmpty()) {
            throw new IOException("Chromium could not open " + url + ": " + err);
        }
        loaded.get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** The value of a JavaScript expression in the page (promises awaited), as plain Java values. */
    @SuppressWarnings("unchecked")
    Object eval(String expression) throws Exception {
        Map<String, Object> r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.containsKey("exceptionDetails")) {
            throw new IOException("evaluating " + expression + ": " + Json.write(r.get("exceptionDetails")));
        }
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    /** A PNG of the whole page, 1280 pixels wide. */
    @SuppressWarnings("unchecked")
    byte[] screenshot() throws Exception {
        Map<String, Object> size = (Map<String, Object>) call("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.get("width"), "height", size.get("height"),
                "scale", 1);
        Map<String, Object> r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", clip));
        return Base64.getDecoder().decode((String) r.get("data"));
    }

    /** The errors raised so far: JavaScript exceptions, console errors, failed loads, policy violations. */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendText(Json.write(Map.of("id", ids.incrementAndGet(), "method", "Browser.close")), true)
                    .get(5, TimeUnit.SECONDS);
            process.waitFor(10, TimeUnit.SECONDS);
        } finally {
            process.destroyForcibly();
        }
    }
}
