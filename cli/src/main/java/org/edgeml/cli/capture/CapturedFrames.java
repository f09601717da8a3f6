package org.edgeml.cli.capture;

/** Where a capture's frames come from: each {@link #next()} is one PNG to save, as the runtime sees the frame. */
public interface CapturedFrames extends AutoCloseable {

    /** The next frame as PNG; {@code null} when no more will come ({@link #endReason()} says why). */
    byte[] next() throws InterruptedException;

    /** Why {@link #next()} returned {@code null}: e.g. "the source ended"; empty before. */
    String endReason();

    /** What the frames come from, for messages: {@code rpicam}, {@code device kitchen on tcp://hub:1883}. */
    String describe();

    /** Ends a waiting {@link #next()} (from another thread, e.g. on Ctrl-C). */
    @Override
    void close();
}
