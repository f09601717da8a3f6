package org.edgeml.runtime.source;

import java.util.Optional;

/**
 * The byte layout of one I420 (YUV 4:2:0 planar) frame as {@code rpicam-vid --codec yuv420} writes it: the
 * buffer the ISP filled, rows padded to its stride, with both chroma planes at half the luma stride and no
 * gap between planes. One frame is therefore {@code lumaStride*height*3/2} bytes.
 *
 * <p>The stride is the ISP driver's choice, not the program's, and differs between Pis:
 * <ul>
 * <li>Pi 0 to 4 (VC4 ISP, {@link #rpicam}): the luma stride is {@code align64(width)}, so that both chroma
 *     planes start 32-byte aligned ({@code stride == width} for 640, 1280, 1920);
 * <li>Pi 5 (PiSP, {@link #pisp}): libcamera aligns the chroma stride to 64 bytes and doubles it for the luma,
 *     so the luma stride is {@code 2*align64(width/2)}: 384 for a width of 320 where the VC4 has 320.
 * </ul>
 * {@link #ofFrameBytes} recovers the layout from a frame's byte count when a stream turns out not to match.
 */
public record I420Layout(int width, int height, int lumaStride) {

    public I420Layout {
        if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("I420 needs a positive even size, got " + width + "x" + height);
        }
        if (lumaStride < width || lumaStride % 2 != 0) {
            throw new IllegalArgumentException("stride " + lumaStride + " is too small for width " + width);
        }
    }

    /** The layout rpicam-vid produces for a frame of this size on a Pi 0 to 4 (VC4 ISP). */
    public static I420Layout rpicam(int width, int height) {
        return new I420Layout(width, height, align64(width));
    }

    /** The layout rpicam-vid produces for a frame of this size on a Pi 5 (PiSP). */
    public static I420Layout pisp(int width, int height) {
        return new I420Layout(width, height, 2 * align64(width / 2));
    }

    /**
     * The layout of a {@code width x height} frame that is {@code frameBytes} long (chroma at half the luma
     * stride, planes back to back), or empty when no stride of at least the width gives that many bytes.
     */
    public static Optional<I420Layout> ofFrameBytes(int width, int height, long frameBytes) {
        long rows = 3L * height; // two luma rows per pair of half-stride chroma rows: frame = stride * 3h/2
        if (frameBytes <= 0 || (2 * frameBytes) % rows != 0) {
            return Optional.empty();
        }
        long stride = 2 * frameBytes / rows;
        if (stride < width || stride % 2 != 0 || stride > Integer.MAX_VALUE / 4) {
            return Optional.empty();
        }
        return Optional.of(new I420Layout(width, height, (int) stride));
    }

    public static int align64(int n) {
        return (n + 63) & ~63;
    }

    public int chromaStride() {
        return lumaStride / 2;
    }

    public int lumaBytes() {
        return lumaStride * height;
    }

    public int frameBytes() {
        return lumaBytes() + 2 * chromaStride() * (height / 2);
    }
}
