package org.edgeml.host.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.edgeml.core.io.Sha256;
import org.edgeml.host.io.ProgressBar;

/**
 * Downloads a known dataset's four files into a directory, trying each mirror in turn, with a
 * progress bar and SHA-256 verification. A file lands under its final name only once its checksum
 * matched, so an interrupted download never looks complete.
 */
public final class Downloader {
    private final HttpClient http;

    public Downloader() {
        this(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build());
    }

    public Downloader(HttpClient http) {
        this.http = http;
    }

    /** Thrown when no mirror delivered a file with the right checksum; the message says why. */
    public static final class DownloadFailed extends IOException {
        public DownloadFailed(String message) {
            super(message);
        }
    }

    /**
     * Downloads every file of {@code dataset} that {@code dir} does not hold yet. When it fails, the
     * directories it created are removed again if they are empty (verified files are kept for next time).
     */
    public void fetch(KnownDataset dataset, List<String> mirrors, Path dir, PrintStream progress) throws IOException {
        Path firstCreated = firstMissing(dir.toAbsolutePath());
        Files.createDirectories(dir);
        try {
            for (int i = 0; i < KnownDataset.FILES.size(); i++) {
                String name = KnownDataset.FILES.get(i) + ".gz";
                Path target = dir.resolve(name);
                if (Files.isRegularFile(target) && Sha256.hex(target).equals(dataset.sha256.get(i))) {
                    continue;
                }
                fetchFile(name, dataset.sha256.get(i), mirrors, target, progress);
            }
        } catch (IOException | RuntimeException e) {
            removeEmpty(dir.toAbsolutePath(), firstCreated);
            throw e;
        }
    }

    private static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing = p;
        }
        return missing;
    }

    /** Deletes {@code dir} and its parents up to {@code top} while they are empty. */
    private static void removeEmpty(Path dir, Path top) {
        if (top == null) {
            return;
        }
        for (Path p = dir; p != null && p.startsWith(top); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException notEmpty) {
                return;
            }
        }
    }

    private void fetchFile(String name, String expectedSha256, List<String> mirrors, Path target, PrintStream progress)
            throws IOException {
        StringBuilder failures = new StringBuilder();
        for (String mirror : mirrors) {
            URI uri = URI.create(mirror.endsWith("/") ? mirror + name : mirror + "/" + name);
            try {
                download(uri, expectedSha256, target, progress);
                return;
            } catch (IOException e) {
                failures.append(failures.length() == 0 ? "" : "; ").append(uri.getHost()).append(": ").append(reason(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DownloadFailed("interrupted while downloading " + uri);
            }
        }
        throw new DownloadFailed(name + " from " + failures);
    }

    /** Connection errors often carry no message at all; say what happened instead of "null". */
    private static String reason(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "cannot connect (no network?)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            return e.getClass().getSimpleName();
        }
        return e.getMessage();
    }

    private void download(URI uri, String expectedSha256, Path target, PrintStream progress)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
            try {
                MessageDigest digest = Sha256.newDigest();
                ProgressBar bar = new ProgressBar(progress, "download " + target.getFileName(), Math.max(total, 1));
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
                    byte[] buffer = new byte[1 << 16];
                    long done = 0;
                    int n;
                    while ((n = body.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                        done += n;
                        bar.update(total > 0 ? done : 0, (done >> 10) + " KiB");
                    }
                    bar.update(Math.max(total, 1), (done >> 10) + " KiB");
                }
                bar.finish();
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(expectedSha256)) {
                    throw new IOException("checksum mismatch (SHA-256 " + actual + ", expected " + expectedSha256 + ")");
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
