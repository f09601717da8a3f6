package org.edgeml.runtime.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Frames from the Raspberry Pi camera: runs {@code rpicam-vid ... --codec yuv420 -o -} and reads its I420
 * frames (see {@link I420Layout}) from a pipe, handing out whole I420 frames (a grey model reads their luma
 * plane, a colour model all three).
 *
 * <p>A reader thread always consumes the pipe, so the camera never stalls and {@link #next()} hands out the
 * newest complete frame (older unclaimed frames are overwritten: a live camera wants the present, not a
 * queue). A watchdog kills the process when no frame arrived for {@code frameTimeout}; whenever the process
 * ends while the source is open it is started again after an exponential backoff (reset by a good frame),
 * and {@link #restarts()} counts it. A frame cut short by the process ending is logged and skipped. A
 * program that is not there at all is refused at construction instead (see {@link CameraProgram}).
 *
 * <p>A pipe carries no frame boundaries, so the layout (the row stride, which the ISP chooses: see
 * {@link I420Layout}) is checked by byte count: until a run has confirmed it, the camera is started for one
 * second of frames ({@code --frames}) and the bytes it wrote before exiting must be that many frames.
 * When they are not, {@link #layoutMismatches()} counts it, the layout those bytes do fit (if any) replaces
 * the expected one, and the camera is started again, so that reading starts at a frame boundary; a run that
 * ends by itself later is checked the same way. Only then does the camera run without a frame limit.
 */
public final class RpicamSource implements FrameSource {
    private static final System.Logger LOG = System.getLogger(RpicamSource.class.getName());
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    /** How to run the camera and how patiently to supervise it. */
    public record Settings(String program, int width, int height, int fps, Duration frameTimeout,
            Duration firstBackoff, Duration maxBackoff) {
        public Settings {
            Objects.requireNonNull(program, "program");
            I420Layout.rpicam(width, height);
            if (fps <= 0 || frameTimeout.isNegative() || frameTimeout.isZero() || firstBackoff.isNegative()
                    || maxBackoff.compareTo(firstBackoff) < 0) {
                throw new IllegalArgumentException("bad camera settings " + fps + " fps, timeout " + frameTimeout
                        + ", backoff " + firstBackoff + ".." + maxBackoff);
            }
        }

        /** The defaults for a device: 1 s first backoff doubling to at most 60 s. */
        public static Settings of(String program, int width, int height, int fps, Duration frameTimeout) {
            return new Settings(program, width, height, fps, frameTimeout, Duration.ofSeconds(1), Duration.ofSeconds(60));
        }

        public List<String> command() {
            return List.of(program, "-t", "0", "-n", "--codec", "yuv420", "--width", Integer.toString(width),
                    "--height", Integer.toString(height), "--framerate", Integer.toString(fps), "-o", "-");
        }

        /** The command of a run that checks the layout: it writes {@link #checkFrames()} frames and exits. */
        public List<String> checkCommand() {
            List<String> command = new ArrayList<>(command());
            command.addAll(command.size() - 2, List.of("--frames", Integer.toString(checkFrames())));
            return List.copyOf(command);
        }

        /** One second of frames (at least 2). */
        public int checkFrames() {
            return Math.max(2, fps);
        }
    }

    /** What one run of the camera program wrote: whole frames (of the layout it was read with) and bytes in all. */
    private record Run(long frames, long bytes) {}

    private final Settings settings;
    private final Object lock = new Object();
    private final Thread reader;
    private final Thread watchdog;

    // Guarded by lock: the layout frames are read with (replaced by the reader only between runs), and three
    // frame buffers of its size rotate between the reader (filling), the hand-over slot (ready) and the
    // consumer (delivered).
    private I420Layout layout;
    private byte[] filling;
    private byte[] ready;
    private byte[] delivered;
    private boolean fresh;
    private long readySeq;
    private long readyNanos;
    private boolean closed;
    private Process process;
    private long lastFrameNanos;
    private boolean killedByWatchdog;
    private boolean frameSinceStart;

    private volatile long restarts;
    private volatile long skipped;
    private volatile long overwritten;
    private volatile long layoutMismatches;
    private volatile String lastStderrLine = "";

    // The reader's own: whether a run has shown the layout right, and the next frame's sequence number.
    private boolean layoutConfirmed;
    private long nextSeq;

    /**
     * Expects the layout of this board's ISP ({@link CameraIsp#ofThisBoard()}).
     *
     * @throws org.edgeml.core.EdgemlException (exit 2) when the camera program is missing or not executable
     */
    public RpicamSource(Settings settings) {
        this(settings, CameraIsp.ofThisBoard().layout(settings.width(), settings.height()));
    }

    /** Expects frames in {@code expected} at first; the stream's byte count may correct it. */
    public RpicamSource(Settings settings, I420Layout expected) {
        CameraProgram.check(settings.program(), System.getenv("PATH"));
        if (expected.width() != settings.width() || expected.height() != settings.height()) {
            throw new IllegalArgumentException("layout " + expected + " is not for " + settings.width() + "x" + settings.height());
        }
        this.settings = settings;
        useLayout(expected);
        this.reader = new Thread(this::superviseLoop, "rpicam-reader");
        this.watchdog = new Thread(this::watchdogLoop, "rpicam-watchdog");
        reader.setDaemon(true);
        watchdog.setDaemon(true);
        reader.start();
        watchdog.start();
    }

    @Override
    public Frame next() throws InterruptedException {
        synchronized (lock) {
            while (!fresh && !closed) {
                lock.wait();
            }
            if (closed) {
                return null;
            }
            byte[] t = delivered;
            delivered = ready;
            ready = t;
            fresh = false;
            return new Frame(delivered, 0, layout.width(), layout.height(), layout.lumaStride(), readySeq, "camera",
                    Frame.NO_LABEL, readyNanos, Frame.Format.I420);
        }
    }

    @Override
    public String describe() {
        return "rpicam " + settings.width() + "x" + settings.height() + "@" + settings.fps();
    }

    @Override
    public long restarts() {
        return restarts;
    }

    @Override
    public long skipped() {
        return skipped;
    }

    /**
     * {@code restarting} while no process runs (backing off) or a restarted one has sent no frame yet;
     * {@code stalled} while the running process sends no frame for longer than three frame periods (at least
     * a second); else {@code running}.
     */
    @Override
    public String state() {
        synchronized (lock) {
            if (closed) {
                return "stopped";
            }
            if (process == null || (restarts > 0 && !frameSinceStart)) {
                return "restarting";
            }
            long quiet = System.nanoTime() - lastFrameNanos;
            long patience = Math.max(TimeUnit.SECONDS.toNanos(1), 3 * TimeUnit.SECONDS.toNanos(1) / settings.fps());
            return quiet > patience ? "stalled" : "running";
        }
    }

    @Override
    public long overwritten() {
        return overwritten;
    }

    @Override
    public long layoutMismatches() {
        return layoutMismatches;
    }

    /** The layout frames are read with now. */
    public I420Layout layout() {
        synchronized (lock) {
            return layout;
        }
    }

    @Override
    public void close() {
        Process p;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            p = process;
            lock.notifyAll();
        }
        if (p != null) {
            stop(p);
        }
        reader.interrupt();
        watchdog.interrupt();
        try {
            reader.join(STOP_GRACE.toMillis() * 2);
            watchdog.join(STOP_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void superviseLoop() {
        int failures = 0;
        while (true) {
            boolean checking = !layoutConfirmed;
            Process p = startProcess(checking ? settings.checkCommand() : settings.command());
            boolean sawFrame = false;
            boolean planned = false;
            String ending;
            if (p == null) {
                ending = "could not be started";
            } else {
                Run run = readFrames(p.getInputStream());
                sawFrame = run.frames() > 0;
                stop(p);
                boolean hung;
                synchronized (lock) {
                    hung = killedByWatchdog;
                    process = null;
                    if (closed) {
                        return;
                    }
                }
                // Only a run that ended by itself wrote all it meant to: its byte count tells the layout.
                boolean cleanEnd = !hung && !p.isAlive() && p.exitValue() == 0 && run.bytes() > 0;
                String mismatch = cleanEnd ? checkLayout(run, checking ? settings.checkFrames() : 0) : null;
                planned = checking && cleanEnd && mismatch == null;
                ending = mismatch != null ? mismatch
                        : hung ? "sent no frame for " + settings.frameTimeout().toSeconds() + " s"
                        : "exited with code " + exitCode(p) + (lastStderrLine.isEmpty() ? "" : " (" + lastStderrLine + ")");
                if (mismatch != null) {
                    sawFrame = false; // frames read out of step are no sign of health: back off as after a failure
                }
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
            }
            if (planned) {
                failures = 0;
                LOG.log(Level.DEBUG, "rpicam-vid's frames match " + layoutText(layout()) + "; running it without a frame limit");
                continue;
            }
            failures = sawFrame ? 0 : failures + 1;
            Duration backoff = backoff(failures);
            restarts++;
            LOG.log(Level.WARNING, "rpicam-vid " + ending + "; restart " + restarts + " in "
                    + backoff.toMillis() + " ms");
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Checks a run that ended by itself against the layout. A run asked for {@code framesAsked} frames must have
     * written exactly that many (a byte count that is merely a whole number of frames is not enough: a stride
     * twice the expected one gives two "frames" per frame); else it is a mismatch, counted, and the layout
     * that {@code bytes / framesAsked} (or else the byte count alone) fits is read from the next run on. A
     * run that wrote whole frames but fewer than asked also confirms the layout, as does any other run's.
     * Returns null when confirmed, else why the camera is restarted.
     */
    private String checkLayout(Run run, int framesAsked) {
        I420Layout expected = layout();
        long bytes = run.bytes();
        int w = settings.width();
        int h = settings.height();
        Optional<I420Layout> fits = Optional.empty();
        if (framesAsked > 0 && bytes != (long) framesAsked * expected.frameBytes() && bytes % framesAsked == 0) {
            fits = I420Layout.ofFrameBytes(w, h, bytes / framesAsked).filter(l -> !l.equals(expected));
        }
        if (fits.isEmpty() && bytes % expected.frameBytes() == 0) {
            layoutConfirmed = true;
            return null;
        }
        layoutMismatches++;
        layoutConfirmed = false;
        if (fits.isEmpty()) {
            fits = Stream.of(I420Layout.rpicam(w, h), I420Layout.pisp(w, h), new I420Layout(w, h, w))
                    .filter(l -> bytes % l.frameBytes() == 0).findFirst();
        }
        String wrote = "wrote " + bytes + " bytes" + (framesAsked > 0 ? " for " + framesAsked + " frames" : "")
                + ", which are not " + layoutText(expected);
        if (fits.isPresent()) {
            useLayout(fits.get());
            return wrote + "; they are " + layoutText(fits.get()) + ", read from now on (frame layout mismatch "
                    + layoutMismatches + ")";
        }
        return wrote + " nor any other I420 layout of " + w + "x" + h + "; reading from a fresh start (frame layout mismatch "
                + layoutMismatches + ")";
    }

    private static String layoutText(I420Layout l) {
        return l.width() + "x" + l.height() + " I420 frames of " + l.frameBytes() + " bytes (stride " + l.lumaStride() + ")";
    }

    /** Reads frames in {@code next} from now on: fresh buffers of its size, and an unclaimed frame of the old one dropped. */
    private void useLayout(I420Layout next) {
        synchronized (lock) {
            layout = next;
            filling = new byte[next.frameBytes()];
            ready = new byte[next.frameBytes()];
            delivered = new byte[next.frameBytes()];
            fresh = false;
        }
    }

    private Process startProcess(List<String> command) {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            killedByWatchdog = false;
            frameSinceStart = false;
            lastStderrLine = "";
            try {
                process = new ProcessBuilder(command).start();
            } catch (IOException e) {
                LOG.log(Level.ERROR, "cannot start " + settings.program() + ": " + e.getMessage()
                        + " (install rpicam-apps or give --rpicam-vid PATH)");
                return null;
            }
            lastFrameNanos = System.nanoTime();
            closeQuietly(process);
            Process p = process;
            Thread drain = new Thread(() -> drainStderr(p), "rpicam-stderr");
            drain.setDaemon(true);
            drain.start();
            return p;
        }
    }

    /** Reads whole frames until the stream ends. */
    private Run readFrames(InputStream in) {
        I420Layout l = layout();
        long frames = 0;
        long bytes = 0;
        try {
            while (true) {
                int got = readFully(in, filling, l.frameBytes());
                bytes += got;
                if (got == 0) {
                    return new Run(frames, bytes);
                }
                if (got < l.frameBytes()) {
                    skipped++;
                    LOG.log(Level.WARNING, "skipped a short frame from rpicam-vid: " + got + " of "
                            + l.frameBytes() + " bytes");
                    return new Run(frames, bytes);
                }
                frames++;
                synchronized (lock) {
                    if (fresh) {
                        overwritten++;
                    }
                    byte[] t = ready;
                    ready = filling;
                    filling = t;
                    fresh = true;
                    readySeq = nextSeq++;
                    readyNanos = System.nanoTime();
                    lastFrameNanos = readyNanos;
                    frameSinceStart = true;
                    lock.notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (lock) {
                if (!closed && !killedByWatchdog) {
                    LOG.log(Level.WARNING, "reading rpicam-vid failed: " + e.getMessage());
                }
            }
            return new Run(frames, bytes);
        }
    }

    private static int readFully(InputStream in, byte[] buf, int len) throws IOException {
        int got = 0;
        while (got < len) {
            int n = in.read(buf, got, len - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        return got;
    }


    private void drainStderr(Process p) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                if (!line.isBlank()) {
                    lastStderrLine = line.length() > 200 ? line.substring(0, 200) : line;
                    LOG.log(line.contains("ERROR") ? Level.WARNING : Level.DEBUG, "rpicam-vid: " + line);
                }
            }
        } catch (IOException e) {
            // the process is gone; nothing more to read
        }
    }

    private void watchdogLoop() {
        long period = Math.max(50, Math.min(500, settings.frameTimeout().toMillis() / 4));
        try {
            while (true) {
                Thread.sleep(period);
                Process hung = null;
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    if (process != null && process.isAlive() && !killedByWatchdog
                            && System.nanoTime() - lastFrameNanos > settings.frameTimeout().toNanos()) {
                        killedByWatchdog = true;
                        hung = process;
                    }
                }
                if (hung != null) {
                    stop(hung);
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** Ends the process: a polite SIGTERM, then SIGKILL if it lingers. */
    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // stdin of the child is unused
        }
    }

    private static String exitCode(Process p) {
        return p.isAlive() ? "?" : Integer.toString(p.exitValue());
    }

    /** The first backoff after a run that delivered frames, doubling with each run that did not. */
    private Duration backoff(int failures) {
        Duration d = settings.firstBackoff();
        for (int i = 1; i < failures && d.compareTo(settings.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(settings.maxBackoff()) <= 0 ? d : settings.maxBackoff();
    }
}
