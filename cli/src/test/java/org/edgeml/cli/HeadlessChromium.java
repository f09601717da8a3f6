package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.edgeml.core.json.Json;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol (a WebSocket): navigate, evaluate
 * JavaScript in the page, take a screenshot. When Chromium is not installed the test is skipped, or fails if
 * {@code -Dedgeml.requireServices=true}.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    static void assumeInstalled() {
        boolean present = Files.isExecutable(BINARY);
        if (Boolean.getBoolean("edgeml.requireServices")) {
            if (!present) {
                fail(BINARY + " is missing: apt-get install -y chromium");
            }
        } else {
            Assumptions.assumeTrue(present, BINARY + " is missing; skipping browser tests");
        }
    }

    HeadlessChromium() throws IOException, InterruptedException {
        assumeInstalled();
        profile = Files.createTempDirectory("edgeml-chromium");
        process = new ProcessBuilder(BINARY.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=1400,900",
                "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserUrl = devToolsUrl();
        HttpClient http = HttpClient.newHttpClient();
        URI list = URI.create("http://" + URI.create(browserUrl).getAuthority() + "/json/list");
        String page = null;
        for (Object target : (List<?>) Json.parse(http.send(HttpRequest.newBuilder(list).build(),
                HttpResponse.BodyHandlers.ofString()).body())) {
            Map<?, ?> t = (Map<?, ?>) target;
            if ("page".equals(t.get("type"))) {
                page = (String) t.get("webSocketDebuggerUrl");
            }
        }
        Objects.requireNonNull(page, "chromium shows no page");
        socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new Listener()).join();
    }

    /** Chromium prints "DevTools listening on ws://..." on stderr once it serves the protocol. */
    private String devToolsUrl() throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = err.readLine()) != null; ) {
                    if (line.startsWith("DevTools listening on ")) {
                        return line.substring("DevTools listening on ".length()).strip();
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String found = url.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (found == null) {
                throw new IOException("chromium exited without serving DevTools");
            }
            // keep draining stderr so chromium never blocks on it
            CompletableFuture.runAsync(() -> {
                try {
                    while (err.readLine() != null) {
                        // discarded
                    }
                } catch (IOException ignored) {
                    // chromium closed
                }
            });
            return found;
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("chromium did not start: " + e, e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Map<String, Object> message = Json.parseObject(partial.toString());
                partial.setLength(0);
                if (message.get("id") instanceof Number id) {
                    CompletableFuture<Map<String, Object>> f = pending.remove(id.intValue());
                    if (f != null) {
                        f.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(Json.write(Map.of("id", id, "method", method, "params", params)), true).join();
        Map<String, Object> m = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (m.containsKey("error")) {
            throw new IllegalStateException(method + ": " + m.get("error"));
        }
        return (Map<String, Object>) m.get("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page (strings, numbers, booleans; null for undefined). */
    Object evaluate(String expression) throws Exception {
        Map<String, Object> result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        return ((Map<?, ?>) result.get("result")).get("value");
    }

    /** Waits until {@code expression} is true in the page; {@code limit} only guards against a hang. */
    void await(String expression, Duration limit, String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Boolean.TRUE.equals(evaluate(expression))) {
            if (System.nanoTime() > deadline) {
                fail(what + " (the page shows: " + evaluate("document.body.innerText") + ")");
            }
            Thread.sleep(100);
        }
    }

    void screenshot(Path png) throws Exception {
        Map<String, Object> shot = call("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.abort();
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
