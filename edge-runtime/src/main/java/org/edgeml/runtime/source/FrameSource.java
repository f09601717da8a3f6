package org.edgeml.runtime.source;

/**
 * Delivers frames to one consumer thread. {@link #close()} may be called from any thread and makes a
 * blocked {@link #next()} return {@code null}.
 */
public interface FrameSource extends AutoCloseable {

    /**
     * Blocks until the next frame. Returns {@code null} when the source is finished (a replay reached its
     * end) or closed. The returned frame is valid until the next call.
     */
    Frame next() throws InterruptedException;

    /** A short description for status and logs, e.g. {@code rpicam 640x480@10} or {@code dir:/srv/in}. */
    String describe();

    /** How often the capture process had to be restarted (for the status message); 0 for most sources. */
    default long restarts() {
        return 0;
    }

    /** Frames or files that could not be read and were skipped. */
    default long skipped() {
        return 0;
    }

    /**
     * What the source is doing, for the status: {@code running}, or for a camera {@code restarting} (its program
     * is being started again) or {@code stalled} (no frame for a while); {@code stopped} once closed.
     */
    default String state() {
        return "running";
    }

    /** Live frames replaced before they were taken, all causes (the camera outpaced the consumer). */
    default long overwritten() {
        return 0;
    }

    /** Of {@link #overwritten()}, those passed over on purpose to keep to {@code --fps}. */
    default long skippedByFps() {
        return 0;
    }

    /** Times a folder watch overflowed and lost events (files that may never be classified). */
    default long watchOverflows() {
        return 0;
    }

    /** Camera frames whose size did not match the expected layout (the stream was resynchronised). */
    default long layoutMismatches() {
        return 0;
    }

    @Override
    void close();
}
