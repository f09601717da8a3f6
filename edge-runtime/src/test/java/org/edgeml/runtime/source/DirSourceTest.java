package org.edgeml.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirSourceTest {
    static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The tests' decoder: ImageIO to gray, standing in for the runtime's Preprocessor.decode. */
    static org.edgeml.core.image.GrayImage decode(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw new EdgemlException(file + " is not a PNG or JPEG image");
            }
            byte[] px = new byte[img.getWidth() * img.getHeight()];
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    px[y * img.getWidth() + x] = (byte) img.getData().getSample(x, y, 0);
                }
            }
            return new org.edgeml.core.image.GrayImage(img.getWidth(), img.getHeight(), px);
        } catch (IOException e) {
            throw new EdgemlException("cannot read " + file, e);
        }
    }

    static byte[] png(int width, int height, int value) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.getRaster().setSample(x, y, 0, value);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /**
     * 600 files written before anything is read make 1200 events, beyond the 512 the JDK keeps per watch key:
     * the watch overflows. That is counted, and the rescan still delivers every file once.
     */
    @Test
    void aWatchQueueOverflowIsCountedAndNoFileIsLost() throws Exception {
        byte[] image = png(4, 4, 9);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (DirSource source = new DirSource(dir, DirSourceTest::decode, Duration.ofMillis(50))) {
                int files = 600;
                for (int i = 0; i < files; i++) {
                    Files.write(dir.resolve("burst-" + i + ".png"), image);
                }
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int i = 0; i < files; i++) {
                    Frame f = source.next();
                    assertNotNull(f);
                    assertTrue(seen.add(f.origin()), "delivered twice: " + f.origin());
                }
                assertTrue(source.watchOverflows() >= 1, "the burst overflowed the watch");
            }
        });
    }

    @Test
    void classifiesNewImagesAndSkipsUnreadableOnes() throws Exception {
        Files.write(dir.resolve("old.png"), png(4, 4, 1));
        assertTimeoutPreemptively(LIMIT, () -> {
            try (DirSource source = new DirSource(dir, DirSourceTest::decode, Duration.ofMillis(100))) {
                Files.writeString(dir.resolve("broken.png"), "not an image");
                Files.writeString(dir.resolve("notes.txt"), "ignored");
                Files.write(dir.resolve(".partial.png"), png(2, 2, 9));
                Path staged = Files.write(dir.resolve(".staged.png"), png(6, 5, 77));
                Files.move(staged, dir.resolve("renamed.png"), StandardCopyOption.ATOMIC_MOVE);
                Frame f = source.next();
                assertEquals("renamed.png", f.origin());
                assertEquals(6, f.width());
                assertEquals(5, f.height());
                assertEquals(77, f.plane()[f.offset()] & 0xFF);
                assertEquals(1, source.skipped());
            }
        });
    }

    @Test
    void theSkipMessageNamesTheFileOnce() throws Exception {
        java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(DirSource.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                warnings.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            assertTimeoutPreemptively(LIMIT, () -> {
                try (DirSource source = new DirSource(dir, DirSourceTest::decode, Duration.ofMillis(100))) {
                    Path broken = Files.writeString(dir.resolve("broken.png"), "not an image");
                    for (int i = 0; source.skipped() == 0; i++) {
                        Files.write(dir.resolve("good" + i + ".png"), png(2, 2, 5));
                        source.next();
                    }
                    String skip = warnings.stream().filter(w -> w.startsWith("skipped ")).findFirst().orElseThrow();
                    assertEquals(skip.indexOf(broken.toString()), skip.lastIndexOf(broken.toString()), skip);
                    assertEquals("skipped " + broken + " is not a PNG or JPEG image", skip);
                }
            });
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void waitsUntilAFileBeingWrittenIsComplete() throws Exception {
        byte[] image = png(8, 8, 200);
        assertTimeoutPreemptively(LIMIT, () -> {
            try (DirSource source = new DirSource(dir, DirSourceTest::decode, Duration.ofMillis(400))) {
                Thread writer = new Thread(() -> {
                    try (OutputStream out = Files.newOutputStream(dir.resolve("slow.png"))) {
                        for (byte b : image) {
                            out.write(b);
                            out.flush();
                            if (b == image[image.length / 2]) {
                                Thread.sleep(100);
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                });
                writer.start();
                Frame f = source.next();
                writer.join();
                assertEquals("slow.png", f.origin());
                assertEquals(200, f.plane()[f.offset() + 63] & 0xFF);
                assertEquals(0, source.skipped());
            }
        });
    }

    @Test
    void closeEndsAWaitingNext() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            DirSource source = new DirSource(dir, DirSourceTest::decode);
            new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ignored) {
                    // just close
                }
                source.close();
            }).start();
            assertNull(source.next());
        });
    }

    @Test
    void refusesAMissingFolder() {
        EdgemlException e = assertThrows(EdgemlException.class,
                () -> new DirSource(dir.resolve("nope"), DirSourceTest::decode));
        assertEquals("source: " + dir.resolve("nope") + " is not a folder; give dir:FOLDER", e.getMessage());
    }
}
