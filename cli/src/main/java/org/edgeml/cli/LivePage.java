package org.edgeml.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.json.Json;

/**
 * {@code edgeml watch --http PORT}: a page on the host that shows every device's state, last prediction and
 * status, pushed to the browser as it changes (server-sent events), with a button that asks a device for a
 * snapshot and shows the picture when the device publishes it.
 *
 * <pre>
 * GET  /                               the page
 * GET  /api/devices                    every device as JSON (as in the events)
 * GET  /api/events                     text/event-stream: the devices again whenever anything changes
 * POST /api/devices/ID/snapshot        asks the device for a snapshot (needs the header X-Edgeml: 1)
 * GET  /api/devices/ID/snapshot        the last snapshot the device published (PNG or JPEG), 404 before one
 * </pre>
 */
final class LivePage implements AutoCloseable {
    private static final Pattern SNAPSHOT_PATH = Pattern.compile("/api/devices/([A-Za-z0-9_-]{1,64})/snapshot");
    private static final long PUSH_CHECK_MILLIS = 200;
    private static final long KEEPALIVE_MILLIS = 15_000;

    /** The last picture a device published, numbered so the page can tell a new one from the old. */
    record Snapshot(byte[] image, String contentType, long number) {}

    private final DeviceTable table;
    private final Consumer<String> requestSnapshot;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final AtomicLong snapshotVersion = new AtomicLong();
    private final AtomicLong rejectedSnapshots = new AtomicLong();
    private final byte[] page;
    private final HttpServer server;
    private final ExecutorService threads;
    private volatile boolean closing;

    /**
     * Starts serving on {@code address}.
     *
     * @param requestSnapshot sends the snapshot command to the device with the given id
     */
    LivePage(InetSocketAddress address, DeviceTable table, Consumer<String> requestSnapshot) {
        this.table = table;
        this.requestSnapshot = requestSnapshot;
        this.page = resource("live.html");
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new EdgemlException("--http: cannot listen on " + address.getHostString() + ":" + address.getPort()
                    + " (" + e.getMessage() + "); choose another port", e);
        }
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "edgeml-live-page");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** Takes a message from the device's snapshot topic; anything but a PNG or JPEG is counted and dropped. */
    void acceptSnapshot(String device, byte[] image) {
        String type = imageType(image);
        if (type == null) {
            rejectedSnapshots.incrementAndGet();
            return;
        }
        snapshots.put(device, new Snapshot(image, type, snapshotVersion.incrementAndGet()));
    }

    long rejectedSnapshots() {
        return rejectedSnapshots.get();
    }

    static String imageType(byte[] b) {
        if (b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return "image/jpeg";
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Matcher snapshot = SNAPSHOT_PATH.matcher(path);
            if (path.equals("/") && method.equals("GET")) {
                send(exchange, 200, "text/html; charset=utf-8", page);
            } else if (path.equals("/api/devices") && method.equals("GET")) {
                send(exchange, 200, "application/json", devicesJson().getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/api/events") && method.equals("GET")) {
                streamEvents(exchange);
            } else if (snapshot.matches() && method.equals("POST")) {
                requestSnapshot(exchange, snapshot.group(1));
            } else if (snapshot.matches() && method.equals("GET")) {
                Snapshot s = snapshots.get(snapshot.group(1));
                if (s == null) {
                    send(exchange, 404, "text/plain", "no snapshot yet\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    exchange.getResponseHeaders().set("Cache-Control", "no-store");
                    send(exchange, 200, s.contentType(), s.image());
                }
            } else {
                send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void requestSnapshot(HttpExchange exchange, String device) throws IOException {
        // A custom header cannot be sent cross-site without the browser asking first, so another web page
        // cannot make the watcher command a device.
        if (!"1".equals(exchange.getRequestHeaders().getFirst("X-Edgeml"))) {
            send(exchange, 403, "text/plain", "missing header X-Edgeml: 1\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try {
            requestSnapshot.accept(device);
            send(exchange, 202, "text/plain", "asked\n".getBytes(StandardCharsets.UTF_8));
        } catch (EdgemlException e) {
            send(exchange, 503, "text/plain", (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void streamEvents(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        long sentVersion = -1;
        long lastWrite = 0;
        try {
            while (!closing) {
                long version = table.version() + snapshotVersion.get();
                long now = System.currentTimeMillis();
                if (version != sentVersion) {
                    out.write(("data: " + devicesJson() + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sentVersion = version;
                    lastWrite = now;
                } else if (now - lastWrite >= KEEPALIVE_MILLIS) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    lastWrite = now;
                }
                Thread.sleep(PUSH_CHECK_MILLIS);
            }
        } catch (IOException browserWentAway) {
            // the page was closed or reloaded
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String devicesJson() {
        List<Map<String, Object>> rows = table.rows();
        for (Map<String, Object> row : rows) {
            Snapshot s = snapshots.get((String) row.get("device"));
            row.put("snapshot", s == null ? null : s.number());
        }
        return Json.write(rows);
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = LivePage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    @Override
    public void close() {
        closing = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
