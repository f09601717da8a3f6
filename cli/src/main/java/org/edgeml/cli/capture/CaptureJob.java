package org.edgeml.cli.capture;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.edgeml.core.EdgemlException;
import org.edgeml.host.io.ProgressBar;
import org.edgeml.runtime.command.DeviceCommand;

/**
 * {@code edgeml capture}: saves {@code count} frames from {@link CapturedFrames} into {@code OUT/LABEL/NNNN.png}
 * ({@link CaptureFolder}), with progress on stderr. {@link #stop()} (Ctrl-C) ends it after the file being
 * written; every file written before stays.
 */
public final class CaptureJob {

    /**
     * @param everyMs the least time between two captured frames; 0 takes every frame
     * @param size    the stored images' side, larger than a model's input so training can still crop and scale
     */
    public record Request(String label, int count, long everyMs, int size, Path out) {
        public Request {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(out, "out");
            if (count < 1 || count > DeviceCommand.MAX_COUNT) {
                throw new EdgemlException("--count " + count + " is out of range; use 1 to " + DeviceCommand.MAX_COUNT);
            }
            if (everyMs < 0 || everyMs > DeviceCommand.MAX_EVERY_MS) {
                throw new EdgemlException("--every " + everyMs + " is out of range; use 0 (every frame) to "
                        + DeviceCommand.MAX_EVERY_MS + " ms");
            }
            if (size < DeviceCommand.MIN_SIZE || size > DeviceCommand.MAX_SIZE) {
                throw new EdgemlException("--size " + size + " is out of range; use " + DeviceCommand.MIN_SIZE + " to "
                        + DeviceCommand.MAX_SIZE + " (default " + DeviceCommand.DEFAULT_SIZE + ")");
            }
        }
    }

    /**
     * @param ended why fewer than asked were saved; empty when all were
     */
    public record Result(Path dir, int asked, int saved, Path first, Path last, String from, String ended,
                         boolean interrupted) {
        public boolean complete() {
            return saved == asked;
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dir", dir.toString());
            m.put("label", dir.getFileName().toString());
            m.put("asked", asked);
            m.put("saved", saved);
            m.put("first", first == null ? null : first.getFileName().toString());
            m.put("last", last == null ? null : last.getFileName().toString());
            m.put("from", from);
            m.put("interrupted", interrupted);
            if (!ended.isEmpty()) {
                m.put("ended", ended);
            }
            return m;
        }
    }

    private final Request request;
    private final CaptureFolder folder;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile CapturedFrames frames;
    private volatile boolean stopping;

    public CaptureJob(Request request) {
        this.request = request;
        this.folder = new CaptureFolder(request.out(), request.label());
    }

    /** Frames read here from the runtime's sources ({@code --source} and run's camera options). */
    public static CapturedFrames local(org.edgeml.runtime.config.SourceOptions options, Request request) {
        return new LocalFrames(options, request);
    }

    /** Frames from a running device over MQTT, asked for with its capture command. */
    public static CapturedFrames fromDevice(org.edgeml.mqtt.Broker broker, String prefix, String device,
                                            java.time.Duration timeout, Request request) {
        return new DeviceFrames(broker, prefix, device, timeout, request);
    }

    /** Saves frames until {@code count} are saved, the frames end or {@link #stop()}. */
    public Result run(CapturedFrames source, PrintStream err) throws InterruptedException {
        this.frames = source;
        try (source) {
            err.println("edgeml: capturing " + request.count() + " '" + request.label() + "' frames from "
                    + source.describe() + " into " + folder.dir() + (stopping ? "" : " (Ctrl-C keeps what was captured)"));
            ProgressBar bar = new ProgressBar(err, "capture " + request.label(), request.count());
            bar.update(0, "");
            while (!stopping && folder.saved() < request.count()) {
                byte[] png = source.next();
                if (png == null || stopping) {
                    break;
                }
                Path saved = folder.save(png);
                bar.update(folder.saved(), saved.getFileName().toString());
            }
            bar.finish();
            String ended = folder.saved() == request.count() ? "" : stopping ? "interrupted" : source.endReason();
            return new Result(folder.dir(), request.count(), folder.saved(), folder.first(), folder.last(),
                    source.describe(), ended, stopping);
        } finally {
            finished.countDown();
        }
    }

    /** Ends {@link #run} after the file being written, and waits (bounded) for it. */
    public void stop() {
        stopping = true;
        CapturedFrames f = frames;
        if (f != null) {
            f.close();
        }
        try {
            finished.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Files saved so far. */
    public int saved() {
        return folder.saved();
    }

    public Path dir() {
        return folder.dir();
    }
}
