package org.edgeml.runtime.source;

/**
 * The byte layout of one I420 (YUV 4:2:0 planar) frame as {@code rpicam-vid --codec yuv420} writes it on a
 * Raspberry Pi: every row is padded to a multiple of 64 bytes, so the luma stride is
 * {@code align64(width)} and each chroma plane has stride {@code align64(width)/2}; there is no padding
 * between rows beyond that and none between planes (the ISP aligns the luma stride to 64 bytes so that both
 * chroma planes start 32-byte aligned). One frame is therefore {@code stride*height*3/2} bytes, and
 * {@code stride == width} exactly when the width is a multiple of 64 (640, 1280, 1920).
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

    /** The layout rpicam-vid produces for a frame of this size. */
    public static I420Layout rpicam(int width, int height) {
        return new I420Layout(width, height, align64(width));
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
