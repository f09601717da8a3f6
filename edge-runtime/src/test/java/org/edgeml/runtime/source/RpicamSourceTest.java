package org.edgeml.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.edgeml.core.EdgemlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs RpicamSource against the stand-in rpicam-vid in src/test/tools. */
class RpicamSourceTest {
    static final Path FAKE = Path.of("src/test/tools/rpicam-vid").toAbsolutePath();
    static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** A wrapper script that sets the stand-in's environment, since RpicamSource passes none. */
    private String fake(Map<String, String> env) throws IOException {
        StringBuilder sh = new StringBuilder("#!/bin/sh\n");
        env.forEach((k, v) -> sh.append("export ").append(k).append("='").append(v).append("'\n"));
        sh.append("exec '").append(FAKE).append("' \"$@\"\n");
        Path script = tmp.resolve("rpicam-" + System.nanoTime());
        Files.writeString(script, sh);
        script.toFile().setExecutable(true);
        return script.toString();
    }

    private static RpicamSource.Settings settings(String program, int w, int h, Duration timeout) {
        return new RpicamSource.Settings(program, w, h, 30, timeout, Duration.ofMillis(100), Duration.ofMillis(400));
    }

    /** Two 28x28 images: a diagonal ramp and its negative. */
    private Path images() throws IOException {
        byte[] raw = new byte[2 * 784];
        for (int i = 0; i < 784; i++) {
            raw[i] = (byte) ((i / 28 + i % 28) * 4);
            raw[784 + i] = (byte) (255 - (i / 28 + i % 28) * 4);
        }
        return Files.write(tmp.resolve("images.raw"), raw);
    }

    @Test
    void stripsTheRowPaddingOfWidthsThatAreNotMultiplesOf64() throws Exception {
        String program = fake(Map.of("FAKE_RPICAM_IMAGES", images().toString()));
        assertTimeoutPreemptively(LIMIT, () -> {
            try (RpicamSource source = new RpicamSource(settings(program, 100, 56, Duration.ofSeconds(20)))) {
                for (int k = 0; k < 3; k++) {
                    Frame f = source.next();
                    assertNotNull(f);
                    assertEquals(100, f.width());
                    assertEquals(56, f.height());
                    assertEquals(128, f.stride());
                    // 56x56 square at x 22..77, each image pixel 2x2; outside it black
                    assertEquals(0, f.plane()[f.offset() + 10 * f.stride() + 5]);
                    int first = f.plane()[f.offset() + 2 * 3 * f.stride() + 22 + 2 * 5] & 0xFF;
                    assertTrue(first == (3 + 5) * 4 || first == 255 - (3 + 5) * 4, "pixel " + first);
                    int last = f.plane()[f.offset() + 55 * f.stride() + 99] & 0xFF;
                    assertEquals(0, last, "padding leaked into the image");
                }
                assertEquals(0, source.restarts());
            }
        });
    }

    /**
     * A Pi 5 pads 192-pixel rows to 256 bytes where a Pi 4 pads them to 192; a stride of 128 for 64-pixel rows
     * makes each frame exactly two of the expected ones. Either way a source expecting the Pi 4's layout finds
     * from the byte count of its first, frame-limited run which stride the frames have, counts the mismatch,
     * and reads every later frame whole.
     */
    @ParameterizedTest
    @CsvSource({"192, 56, pisp, 256", "64, 32, 128, 128"})
    void aStrideOtherThanTheExpectedOneIsFoundFromTheByteCountAndCounted(int w, int h, String stride, int bytes)
            throws Exception {
        String program = fake(Map.of("FAKE_RPICAM_IMAGES", images().toString(), "FAKE_RPICAM_STRIDE", stride));
        assertTimeoutPreemptively(LIMIT, () -> {
            try (RpicamSource source = new RpicamSource(settings(program, w, h, Duration.ofSeconds(20)),
                    I420Layout.rpicam(w, h))) {
                while (source.layoutMismatches() == 0) {
                    assertNotNull(source.next());
                }
                for (int k = 0; k < 3; k++) {
                    Frame f = source.next();
                    assertEquals(bytes, f.stride());
                    assertShowsOneOfTheImages(f, Math.min(w, h));
                }
                assertEquals(1, source.layoutMismatches());
                assertEquals(new I420Layout(w, h, bytes), source.layout());
            }
        });
    }

    /**
     * 100 stray bytes after the 3rd frame put every later frame out of step: the first run's byte count is not
     * a whole number of frames, the mismatch is counted, and the restarted camera's frames are whole again.
     */
    @Test
    void aStreamOutOfStepIsCountedAndReadFromAFreshStart() throws Exception {
        String program = fake(Map.of("FAKE_RPICAM_IMAGES", images().toString(), "FAKE_RPICAM_MODE", "stray",
                "FAKE_RPICAM_AFTER", "3", "FAKE_RPICAM_ONCE", tmp.resolve("strayed").toString()));
        assertTimeoutPreemptively(LIMIT, () -> {
            try (RpicamSource source = new RpicamSource(settings(program, 64, 32, Duration.ofSeconds(20)),
                    I420Layout.rpicam(64, 32))) {
                while (source.layoutMismatches() == 0) {
                    assertNotNull(source.next());
                }
                for (int k = 0; k < 3; k++) {
                    Frame f = source.next();
                    assertEquals(64, f.stride());
                    assertShowsOneOfTheImages(f, 32);
                }
                assertEquals(1, source.layoutMismatches());
                assertEquals(I420Layout.rpicam(64, 32), source.layout(), "no other layout fits: the expected one stays");
            }
        });
    }

    /** Every pixel is that of one of {@link #images()} scaled to a centred side x side square, black around it. */
    private static void assertShowsOneOfTheImages(Frame f, int side) {
        int x0 = (f.width() - side) / 2;
        int y0 = (f.height() - side) / 2;
        int corner = f.plane()[f.offset() + y0 * f.stride() + x0] & 0xFF;
        boolean negative = corner == 255;
        assertTrue(corner == 0 || negative, "top-left pixel of the image " + corner);
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                int expected;
                if (x < x0 || x >= x0 + side || y < y0 || y >= y0 + side) {
                    expected = 0;
                } else {
                    int i = ((y - y0) * 28 / side) * 28 + (x - x0) * 28 / side;
                    int ramp = ((i / 28 + i % 28) * 4) & 0xFF;
                    expected = negative ? 255 - ramp : ramp;
                }
                assertEquals(expected, f.plane()[f.offset() + y * f.stride() + x] & 0xFF, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void restartsACrashedCameraAndCountsIt() throws Exception {
        String program = fake(Map.of("FAKE_RPICAM_MODE", "crash", "FAKE_RPICAM_AFTER", "2",
                "FAKE_RPICAM_ONCE", tmp.resolve("crashed").toString()));
        assertTimeoutPreemptively(LIMIT, () -> {
            try (RpicamSource source = new RpicamSource(settings(program, 64, 32, Duration.ofSeconds(20)))) {
                awaitRestartWithFrames(source);
            }
        });
    }

    /**
     * A camera that sends 5 frames and then fails for good, to a consumer that takes one: of the 5, one was
     * handed out, one waits in the hand-off, and the 3 others were overwritten unclaimed.
     */
    @Test
    void framesOverwrittenInTheHandOffAreCounted() throws Exception {
        Path marker = tmp.resolve("ran");
        Path program = tmp.resolve("rpicam-five-frames");
        Files.writeString(program, "#!/bin/sh\nif [ -e '" + marker + "' ]; then exit 1; fi\ntouch '" + marker
                + "'\nexport FAKE_RPICAM_FRAMES=5\nexec '" + FAKE + "' \"$@\"\n");
        program.toFile().setExecutable(true);
        assertTimeoutPreemptively(LIMIT, () -> {
            try (RpicamSource source = new RpicamSource(settings(program.toString(), 64, 32, Duration.ofSeconds(20)))) {
                assertNotNull(source.next());
                while (source.restarts() == 0) {
                    Thread.sleep(20);
                }
                assertEquals(3, source.overwritten());
            }
        });
    }

    @Test
    void killsAndRestartsAHungCamera() throws Exception {
        String program = fake(Map.of("FAKE_RPICAM_MODE", "hang", "FAKE_RPICAM_AFTER", "1",
                "FAKE_RPICAM_ONCE", tmp.resolve("hung").toString()));
        assertTimeoutPreemptively(LIMIT, () -> {
            try (RpicamSource source = new RpicamSource(settings(program, 64, 32, Duration.ofSeconds(4)))) {
                awaitRestartWithFrames(source);
            }
        });
    }

    @Test
    void skipsGarbageAndRestarts() throws Exception {
        String program = fake(Map.of("FAKE_RPICAM_MODE", "garbage", "FAKE_RPICAM_AFTER", "0",
                "FAKE_RPICAM_ONCE", tmp.resolve("garbled").toString()));
        assertTimeoutPreemptively(LIMIT, () -> {
            try (RpicamSource source = new RpicamSource(settings(program, 64, 32, Duration.ofSeconds(20)))) {
                assertNotNull(source.next());
                assertEquals(1, source.skipped());
                assertTrue(source.restarts() >= 1);
            }
        });
    }

    @Test
    void aMissingOrNonExecutableProgramIsABadInputErrorNotARetry() throws Exception {
        Path notExecutable = Files.writeString(tmp.resolve("rpicam-not-executable"), "#!/bin/sh\n");
        for (String program : List.of(tmp.resolve("no-such-rpicam").toString(), notExecutable.toString(),
                "no-such-rpicam-vid-on-the-path")) {
            EdgemlException e = assertThrows(EdgemlException.class,
                    () -> new RpicamSource(settings(program, 64, 32, Duration.ofSeconds(5))), program);
            assertEquals(2, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().startsWith("rpicam-vid: " + program + " "), e.getMessage());
            assertTrue(e.getMessage().contains("--rpicam-vid PATH"), e.getMessage());
        }
        assertTrue(ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive), "nothing was started");
    }

    /** A camera that worked and then disappears (say, uninstalled under it) is retried, and close still returns. */
    @Test
    void aProgramThatGoesAwayAfterStartIsRetriedAndCloseStillReturns() throws Exception {
        Path program = tmp.resolve("rpicam-goes-away");
        Files.copy(Path.of(fake(Map.of("FAKE_RPICAM_FRAMES", "1"))), program);
        program.toFile().setExecutable(true);
        assertTimeoutPreemptively(LIMIT, () -> {
            RpicamSource source = new RpicamSource(settings(program.toString(), 64, 32, Duration.ofSeconds(5)));
            assertNotNull(source.next());
            Files.delete(program);
            while (source.restarts() < 2) {
                Thread.sleep(20);
            }
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                source.close();
            });
            closer.start();
            assertNull(source.next());
            closer.join();
        });
    }

    @Test
    void closeEndsTheCameraProcess() throws Exception {
        String program = fake(Map.of());
        assertTimeoutPreemptively(LIMIT, () -> {
            RpicamSource source = new RpicamSource(settings(program, 64, 32, Duration.ofSeconds(20)));
            assertNotNull(source.next());
            source.close();
            assertTrue(ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive), "a child lives on");
        });
    }

    @Test
    void theStandInTakesRpicamVidsOptionSyntaxAndRefusesUnknownOptions() throws Exception {
        assertTimeoutPreemptively(LIMIT, () -> {
            ProcessBuilder ok = new ProcessBuilder(FAKE.toString(), "-t", "0", "-n", "--codec=yuv420", "--width=100",
                    "--height", "32", "--framerate=30", "-o", "-");
            ok.environment().put("FAKE_RPICAM_FRAMES", "2");
            Process p = ok.redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertEquals(2 * I420Layout.rpicam(100, 32).frameBytes(), p.getInputStream().readAllBytes().length);
            assertEquals(0, p.waitFor());
            Process limited = new ProcessBuilder(FAKE.toString(), "-t", "0", "-n", "--codec", "yuv420", "--width", "100",
                    "--height", "32", "--frames", "3", "-o", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertEquals(3 * I420Layout.rpicam(100, 32).frameBytes(), limited.getInputStream().readAllBytes().length);
            assertEquals(0, limited.waitFor());
            Process bad = new ProcessBuilder(FAKE.toString(), "--codec", "yuv420", "--shutter", "1000", "-o", "-")
                    .redirectErrorStream(true).start();
            String out = new String(bad.getInputStream().readAllBytes());
            assertTrue(bad.waitFor() != 0);
            assertTrue(out.contains("unrecognised option '--shutter'"), out);
        });
    }

    /** Reads frames until the source has restarted once and a frame came from the new process. */
    private static void awaitRestartWithFrames(RpicamSource source) throws InterruptedException {
        while (source.restarts() == 0) {
            assertNotNull(source.next());
        }
        assertNotNull(source.next());
        assertNotNull(source.next());
        assertEquals(1, source.restarts());
    }
}
