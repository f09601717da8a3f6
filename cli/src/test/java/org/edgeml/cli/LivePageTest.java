package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.edgeml.core.json.Json;
import org.edgeml.runtime.mqtt.MosquittoBroker;
import org.edgeml.runtime.mqtt.Subscriber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code watch --http} against a real mosquitto, read by a real headless Chromium: the page shows each
 * device as messages arrive, without reloading, and its snapshot button commands the device and shows
 * the picture the device publishes.
 */
class LivePageTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static String prediction(long seq, String label, double confidence) {
        return "{\"device\":\"kitchen\",\"seq\":" + seq + ",\"class\":1,\"label\":\"" + label + "\",\"confidence\":"
                + confidence + ",\"latency_us\":42,\"model\":\"abc123\"}";
    }

    @Test
    void thePageShowsDevicesLiveAndFetchesASnapshot() {
        assertTimeoutPreemptively(Duration.ofSeconds(240), () -> {
            int port = freePort();
            try (MosquittoBroker broker = MosquittoBroker.start(java.nio.file.Files.createDirectories(dir.resolve("broker")));
                    Subscriber device = new Subscriber(broker.url(), "fake-device", false, "edgeml/kitchen/set")) {
                StringWriter err = new StringWriter();
                CommandLine watch = new CommandLine(new WatchCommand());
                watch.setErr(new PrintWriter(err));
                CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> watch.execute("--broker", broker.url(),
                        "--http", Integer.toString(port), "--count", "3", "--json"));
                String page = "http://127.0.0.1:" + port + "/";
                HttpClient http = HttpClient.newHttpClient();
                awaitServing(http, URI.create(page + "api/devices"));

                device.publish("edgeml/kitchen/status", "{\"state\":\"online\",\"model\":\"abc123\",\"frames_seen\":7}"
                        .getBytes(StandardCharsets.UTF_8), true);
                device.publish("edgeml/kitchen/prediction", prediction(1, "shirt", 0.91).getBytes(StandardCharsets.UTF_8), false);
                try (HeadlessChromium chromium = new HeadlessChromium()) {
                    chromium.navigate(page);
                    String row = "(document.querySelector('tr[data-device=kitchen]') || {innerText: ''}).innerText";
                    chromium.await(row + ".includes('shirt') && " + row + ".includes('online') && " + row
                            + ".includes('91.0%') && " + row + ".includes('frames seen: 7')", HANG_GUARD,
                            "the page never showed the kitchen device's prediction and status");

                    // a new prediction appears without reloading the page
                    device.publish("edgeml/kitchen/prediction", prediction(2, "sneaker", 0.55).getBytes(StandardCharsets.UTF_8), false);
                    chromium.await(row + ".includes('sneaker')", HANG_GUARD, "the second prediction never appeared");

                    // the button sends the snapshot command; the picture the device answers with is shown
                    chromium.evaluate("document.querySelector('tr[data-device=kitchen] button.snapshot').click()");
                    Subscriber.Received command = device.poll(HANG_GUARD);
                    assertNotNull(command, "no snapshot command reached the device");
                    assertEquals("snapshot", Json.parseObject(command.payload()).get("command"));
                    device.publish("edgeml/kitchen/snapshot", png(12, 8), false);
                    chromium.await("document.querySelector('tr[data-device=kitchen] img.snapshot').naturalWidth === 12",
                            HANG_GUARD, "the snapshot was never shown");
                    chromium.screenshot(Path.of("target", "live-page.png"));
                }
                device.publish("edgeml/kitchen/prediction", prediction(3, "bag", 0.7).getBytes(StandardCharsets.UTF_8), false);
                assertEquals(0, run.get(), err.toString());
            }
        });
    }

    @Test
    void snapshotsNeedTheHeaderAndUnknownPicturesAreCounted() throws Exception {
        DeviceTable table = new DeviceTable(0, new java.util.concurrent.CountDownLatch(1));
        StringBuilder asked = new StringBuilder();
        try (LivePage page = new LivePage(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), table,
                asked::append)) {
            HttpClient http = HttpClient.newHttpClient();
            URI snapshot = URI.create(page.url() + "api/devices/porch/snapshot");
            HttpResponse<String> bare = http.send(HttpRequest.newBuilder(snapshot).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, bare.statusCode());
            assertEquals("", asked.toString());
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(snapshot).header("X-Edgeml", "1")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, ok.statusCode());
            assertEquals("porch", asked.toString());
            assertEquals(404, http.send(HttpRequest.newBuilder(snapshot).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            page.acceptSnapshot("porch", "not a picture".getBytes(StandardCharsets.UTF_8));
            assertEquals(1, page.rejectedSnapshots());
            assertEquals(404, http.send(HttpRequest.newBuilder(snapshot).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            byte[] image = png(3, 3);
            page.acceptSnapshot("porch", image);
            HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(snapshot).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("image/png", got.headers().firstValue("Content-Type").orElse(""));
            org.junit.jupiter.api.Assertions.assertArrayEquals(image, got.body());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(page.url() + "api/devices/../etc/passwd")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    private static void awaitServing(HttpClient http, URI uri) throws Exception {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
            }
            Thread.sleep(100);
        }
    }
}
