package org.edgeml.runtime.mqtt;

import java.util.Objects;

/**
 * The counters the status carries beside who is speaking (see docs/mqtt.md).
 *
 * @param frames         frames the source delivered to the loop
 * @param framesSkipped  frames that could not be used (unreadable files, short or garbled camera frames)
 * @param framesDropped  frames the source let go unclassified (a newer frame replaced them, or {@code --fps})
 * @param fps            frames per second over the last status interval
 * @param camera         the source's state: {@code running}, {@code restarting}, {@code stalled} or {@code stopped}
 * @param cpuTempC       the CPU temperature in degrees Celsius, or {@code NaN} where the system does not say
 */
public record StatusCounters(long frames, long framesSkipped, long framesDropped, double fps, String camera,
        long cameraRestarts, long predictions, double cpuTempC) {

    public StatusCounters {
        Objects.requireNonNull(camera, "camera");
    }

    /** Before the first frame: nothing counted yet. */
    public static StatusCounters none() {
        return new StatusCounters(0, 0, 0, 0, "running", 0, 0, Double.NaN);
    }
}
