package org.edgeml.runtime.source;

/**
 * One captured image as an 8-bit luma (gray) plane: pixel (x, y) is {@code plane[offset + y*stride + x]},
 * unsigned. Sources may reuse {@code plane} for a later frame: a frame is valid until the next call to
 * {@link FrameSource#next()} on the same source.
 *
 * @param seq         increasing per source, from 0
 * @param origin      what the frame is, for messages and logs: a file name, {@code camera}, {@code idx#17}
 * @param label       the true class when known (replayed datasets), else {@link #NO_LABEL}
 * @param arrivalNanos {@link System#nanoTime()} when the frame was complete
 */
public record Frame(byte[] plane, int offset, int width, int height, int stride, long seq, String origin,
        int label, long arrivalNanos) {

    public static final int NO_LABEL = -1;

    public Frame {
        if (width <= 0 || height <= 0 || stride < width || offset < 0
                || (long) offset + (long) stride * (height - 1) + width > plane.length) {
            throw new IllegalArgumentException("frame " + width + "x" + height + " stride " + stride + " offset "
                    + offset + " does not fit a plane of " + plane.length + " bytes");
        }
    }

    public boolean hasLabel() {
        return label != NO_LABEL;
    }
}
