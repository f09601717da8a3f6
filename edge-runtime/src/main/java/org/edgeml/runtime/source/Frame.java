package org.edgeml.runtime.source;

/**
 * One captured image. Its bytes start at {@code plane[offset]}, row {@code y} at {@code offset + y*stride}, laid
 * out as {@code format} says:
 * <ul>
 * <li>{@link Format#GREY}: one unsigned byte per pixel;
 * <li>{@link Format#I420}: a camera frame, the luma (Y) plane as for grey, then the Cb and then the Cr plane,
 *     each {@code ceil(width/2) x ceil(height/2)} with stride {@code ceil(stride/2)} (rpicam-vid's layout, see
 *     {@link I420Layout}); a grey model reads only the luma plane;
 * <li>{@link Format#RGB}: three unsigned bytes per pixel, R G B ({@code stride >= 3*width}).
 * </ul>
 * Sources may reuse {@code plane} for a later frame: a frame is valid until the next call to
 * {@link FrameSource#next()} on the same source.
 *
 * @param seq         increasing per source, from 0
 * @param origin      what the frame is, for messages and logs: a file name, {@code camera}, {@code idx#17}
 * @param label       the true class when known (replayed datasets), else {@link #NO_LABEL}
 * @param arrivalNanos {@link System#nanoTime()} when the frame was complete
 */
public record Frame(byte[] plane, int offset, int width, int height, int stride, long seq, String origin,
        int label, long arrivalNanos, Format format) {

    public static final int NO_LABEL = -1;

    /** How a frame's bytes are laid out. */
    public enum Format { GREY, I420, RGB }

    public Frame {
        long rowBytes = format == Format.RGB ? 3L * width : width;
        long end = width <= 0 || height <= 0 ? -1 : offset + (long) stride * (height - 1) + rowBytes;
        if (format == Format.I420 && end >= 0) {
            end = offset + (long) stride * height + 2L * ((stride + 1) / 2) * ((height + 1) / 2);
        }
        if (width <= 0 || height <= 0 || stride < rowBytes || offset < 0 || end > plane.length) {
            throw new IllegalArgumentException(format + " frame " + width + "x" + height + " stride " + stride + " offset "
                    + offset + " does not fit a plane of " + plane.length + " bytes");
        }
    }

    /** A grey frame. */
    public Frame(byte[] plane, int offset, int width, int height, int stride, long seq, String origin, int label,
                 long arrivalNanos) {
        this(plane, offset, width, height, stride, seq, origin, label, arrivalNanos, Format.GREY);
    }

    public boolean hasLabel() {
        return label != NO_LABEL;
    }
}
