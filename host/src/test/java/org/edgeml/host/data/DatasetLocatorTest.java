package org.edgeml.host.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLocatorTest {
    private static final Path DEBIAN_FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>(Map.of("EDGEML_OFFLINE", "1"));

    private DatasetLocator locator(List<String> mirrors) {
        return new DatasetLocator(env, tmp.resolve("home"), tmp.resolve("system"), new Downloader(), mirrors);
    }

    @Test
    void looksInDataDirThenEnvThenCacheThenDebian() throws IOException {
        Path system = tmp.resolve("system/fashion-mnist");
        IdxTestFiles.writeDataset(system, 2, 2, 2, true);
        assertEquals(system, locator(null).locate(KnownDataset.FASHION_MNIST, null, QUIET));

        Path cache = tmp.resolve("home/.cache/edgeml/fashion-mnist");
        IdxTestFiles.writeDataset(cache, 2, 2, 2, false);
        assertEquals(cache, locator(null).locate(KnownDataset.FASHION_MNIST, null, QUIET));

        env.put("XDG_CACHE_HOME", tmp.resolve("xdg").toString());
        Path xdg = tmp.resolve("xdg/edgeml/fashion-mnist");
        IdxTestFiles.writeDataset(xdg, 2, 2, 2, false);
        assertEquals(xdg, locator(null).locate(KnownDataset.FASHION_MNIST, null, QUIET));

        Path envData = tmp.resolve("envdata");
        IdxTestFiles.writeDataset(envData.resolve("fashion-mnist"), 2, 2, 2, false);
        env.put("EDGEML_DATA", envData.toString());
        assertEquals(envData.resolve("fashion-mnist"), locator(null).locate(KnownDataset.FASHION_MNIST, null, QUIET));

        Path explicit = tmp.resolve("explicit");
        IdxTestFiles.writeDataset(explicit, 2, 2, 2, false);
        assertEquals(explicit, locator(null).locate(KnownDataset.FASHION_MNIST, explicit, QUIET));
    }

    @Test
    void explicitDirWithoutTheFilesIsAnErrorNotAFallThrough() throws IOException {
        Path system = tmp.resolve("system/fashion-mnist");
        IdxTestFiles.writeDataset(system, 2, 2, 2, true);
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        EdgemlException e = assertThrows(EdgemlException.class,
                () -> locator(null).locate(KnownDataset.FASHION_MNIST, empty, QUIET));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte[.gz]"), e.getMessage());
    }

    @Test
    void whenNothingIsFoundTheMessageSaysWhereItLookedAndHowToGetTheData() {
        EdgemlException e = assertThrows(EdgemlException.class,
                () -> locator(null).locate(KnownDataset.FASHION_MNIST, null, QUIET));
        String m = e.getMessage();
        assertEquals(2, e.exitCode());
        assertTrue(m.contains("$EDGEML_DATA (unset)") && m.contains(".cache/edgeml/fashion-mnist")
                && m.contains("system/fashion-mnist"), m);
        assertTrue(m.contains("apt install dataset-fashion-mnist") && m.contains("--data")
                && m.contains("fashion-mnist.s3"), m);
        assertTrue(!m.contains("\n"), "one line: " + m);
    }

    @Test
    void offlineTheDownloadFailsInOneSentenceAndLeavesNoEmptyCacheFolder() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        env.remove("EDGEML_OFFLINE");
        Files.createDirectories(tmp.resolve("home"));
        EdgemlException e = assertThrows(EdgemlException.class,
                () -> locator(List.of("http://127.0.0.1:" + closedPort + "/mnist/")).locate(KnownDataset.MNIST, null, QUIET));
        String m = e.getMessage();
        assertEquals(2, e.exitCode());
        assertTrue(m.startsWith("mnist not found (looked in "), m);
        assertTrue(m.contains("could not be downloaded (train-images-idx3-ubyte.gz from 127.0.0.1: cannot connect"), m);
        assertTrue(m.contains(": download the four .gz files from ") && m.endsWith(", or pass --data DIR"), m);
        assertTrue(!m.contains("null") && !m.contains(". ") && !m.contains("\n"), "one clear sentence: " + m);
        assertTrue(Files.notExists(tmp.resolve("home/.cache")), "no empty cache folder is left behind");
        assertTrue(Files.isDirectory(tmp.resolve("home")), "folders that were there stay");
    }

    @Test
    void downloadsFromAMirrorVerifiesChecksumsAndCaches() throws IOException {
        assumeDebianFashionMnist();
        env.remove("EDGEML_OFFLINE");
        HttpServer server = serve(DEBIAN_FASHION);
        try {
            String mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Path dir = locator(List.of("http://127.0.0.1:1/nothing-here/", mirror))
                    .locate(KnownDataset.FASHION_MNIST, null, new PrintStream(log, true));
            assertEquals(tmp.resolve("home/.cache/edgeml/fashion-mnist"), dir);
            assertTrue(IdxFiles.in(dir).isPresent());
            assertTrue(log.toString().contains("download"), log.toString());
            try (var files = Files.list(dir)) {
                assertEquals(4, files.count(), "no temporary files left behind");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aCorruptDownloadIsRejectedAndNotKept() throws IOException {
        Path fake = Files.createDirectories(tmp.resolve("fake"));
        for (String f : KnownDataset.FILES) {
            Files.writeString(fake.resolve(f + ".gz"), "corrupt");
        }
        env.remove("EDGEML_OFFLINE");
        HttpServer server = serve(fake);
        try {
            String mirror = "http://127.0.0.1:" + server.getAddress().getPort() + "/files/";
            EdgemlException e = assertThrows(EdgemlException.class,
                    () -> locator(List.of(mirror)).locate(KnownDataset.FASHION_MNIST, null, QUIET));
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
            assertTrue(Files.notExists(tmp.resolve("home")), "nothing half-downloaded is kept, not even the folders");
        } finally {
            server.stop(0);
        }
    }

    static void assumeDebianFashionMnist() {
        boolean present = IdxFiles.in(DEBIAN_FASHION).isPresent();
        if (Boolean.getBoolean("edgeml.requireServices")) {
            assertTrue(present, "dataset-fashion-mnist is not installed: run scripts/install-deps");
        }
        assumeTrue(present, "dataset-fashion-mnist not installed");
    }

    private static HttpServer serve(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/files/", exchange -> {
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring("/files/".length()));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = Files.readAllBytes(file);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
        return server;
    }
}
