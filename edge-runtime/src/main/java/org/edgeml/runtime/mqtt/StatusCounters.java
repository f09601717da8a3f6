package org.edgeml.runtime.mqtt;

import java.util.Objects;
import org.edgeml.runtime.source.FrameSource;

/**
 * The counters the status carries beside who is speaking (see docs/mqtt.md).
 *
 * @param frames         frames the source delivered to the loop
 * @param framesSkipped  frames that could not be used (unreadable files, short or garbled camera frames)
 * @param framesDropped  frames the source let go unclassified (a newer frame replaced them, or {@code --fps})
 * @param fps            frames per second over the last status interval
 * @param camera         the source's state: {@code running}, {@code restarting}, {@code stalled} or {@code stopped}
 * @param cpuTempC       the CPU temperature in degrees Celsius, or {@code NaN} where the system does not say
 * @param losses         what the source lost, by cause
 * @param paused         whether a pause command stopped classification (frames are still read)
 */
public record StatusCounters(long frames, long framesSkipped, long framesDropped, double fps, String camera,
        long cameraRestarts, long predictions, double cpuTempC, SourceLosses losses, boolean paused) {

    /** Counters of a runtime that is not paused. */
    public StatusCounters(long frames, long framesSkipped, long framesDropped, double fps, String camera,
                          long cameraRestarts, long predictions, double cpuTempC, SourceLosses losses) {
        this(frames, framesSkipped, framesDropped, fps, camera, cameraRestarts, predictions, cpuTempC, losses, false);
    }

    /**
     * Frames a source lost, by cause.
     *
     * @param overwritten      camera frames replaced in the hand-off before the classifier took them (it was busy)
     * @param skippedByFps     of those, frames passed over on purpose to keep to {@code --fps}
     * @param watchOverflows   times a folder watch lost events because its queue overflowed
     * @param layoutMismatches camera frames whose bytes did not match the expected I420 layout
     */
    public record SourceLosses(long overwritten, long skippedByFps, long watchOverflows, long layoutMismatches) {
        public static final SourceLosses NONE = new SourceLosses(0, 0, 0, 0);

        public static SourceLosses of(FrameSource source) {
            return new SourceLosses(source.overwritten(), source.skippedByFps(), source.watchOverflows(),
                    source.layoutMismatches());
        }
    }

    public StatusCounters {
        Objects.requireNonNull(camera, "camera");
        Objects.requireNonNull(losses, "losses");
    }

    /** Before the first frame: nothing counted yet. */
    public static StatusCounters none() {
        return new StatusCounters(0, 0, 0, 0, "running", 0, 0, Double.NaN, SourceLosses.NONE);
    }
}
