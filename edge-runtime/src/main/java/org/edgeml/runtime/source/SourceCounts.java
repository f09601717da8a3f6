package org.edgeml.runtime.source;

/**
 * What a frame source lost or recovered from, as the status reports it (docs/mqtt.md).
 *
 * @param cameraRestarts  restarts of the capture process
 * @param skipped         frames or files that could not be read (a short camera frame, an undecodable file)
 * @param overwritten     camera frames replaced in the hand-off before the classifier took them (it was busy)
 * @param skippedByFps    camera frames passed over to keep to {@code --fps}
 * @param watchOverflows  times a folder watch lost events because its queue overflowed
 * @param layoutMismatches camera frames whose bytes did not match the expected I420 layout
 */
public record SourceCounts(long cameraRestarts, long skipped, long overwritten, long skippedByFps,
        long watchOverflows, long layoutMismatches) {

    public static final SourceCounts NONE = new SourceCounts(0, 0, 0, 0, 0, 0);

    public static SourceCounts of(FrameSource source) {
        return new SourceCounts(source.restarts(), source.skipped(), source.overwritten(), source.skippedByFps(),
                source.watchOverflows(), source.layoutMismatches());
    }

    /** A source known only by its restart count. */
    public static SourceCounts restarts(long cameraRestarts) {
        return new SourceCounts(cameraRestarts, 0, 0, 0, 0, 0);
    }
}
