package org.edgeml.core.image;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Turns a colour picture of any size into a colour model's {@code outHeight x outWidth x 3} input, R G B
 * per pixel in HWC order (value {@code (y, x, c)} at {@code (y*outWidth + x)*3 + c}), the way
 * {@link Preprocessor} does for grey: the centre square is cropped, then downscaled by area averaging
 * (each output value is the exact mean of the source area it covers, channel by channel, fractional
 * pixels weighted by their overlap, rounded half up), optionally inverted ({@code v -> 255 - v}).
 *
 * <p>Two sources share the averaging: interleaved RGB (image files, for folder datasets and {@code dir:})
 * and I420 frames (the camera). An I420 pixel is converted to RGB before it is averaged, so a camera frame
 * saved as an RGB image and read back gives exactly the bytes the frame gives.
 *
 * <p><b>YCbCr to RGB</b> is BT.601 with full-range YCbCr (JPEG/JFIF, ITU-T T.871), which is what
 * {@code rpicam-vid --codec yuv420} writes: it asks libcamera for the sYCC colour space whenever the codec
 * is {@code yuv420} or {@code mjpeg} (rpicam-apps, {@code apps/rpicam_vid.cpp}, since 2021). With
 * {@code cb = Cb - 128} and {@code cr = Cr - 128}:
 * <pre>
 *   R = Y + 1.402 cr                  = clamp(Y + ((91881 * cr + 32768) >> 16))
 *   G = Y - 0.344136 cb - 0.714136 cr = clamp(Y + ((-22554 * cb - 46802 * cr + 32768) >> 16))
 *   B = Y + 1.772 cb                  = clamp(Y + ((116130 * cb + 32768) >> 16))
 * </pre>
 * in 16-bit fixed point ({@code >>} rounds down, {@code clamp} to 0..255), the coefficients and rounding of
 * libjpeg's YCbCr to RGB conversion ({@code jdcolor.c}), so a JPEG decoder gives the same RGB for the same
 * YCbCr. Each I420 chroma sample serves the 2x2 luma pixels it covers: pixel (x, y) takes the chroma
 * sample (x/2, y/2).
 *
 * <p>Integer arithmetic only; no allocation per frame once the first frame of the largest size was seen.
 */
public final class ColourPreprocessor {
    public static final int CHANNELS = 3;
    private static final int HALF = 1 << 15;
    /** {@code (91881*cr + HALF) >> 16} and {@code (116130*cb + HALF) >> 16}, and the two G terms before their sum is shifted. */
    private static final int[] CR_TO_R = new int[256];
    private static final int[] CB_TO_B = new int[256];
    private static final int[] CR_TO_G = new int[256];
    private static final int[] CB_TO_G = new int[256];
    /** {@code LIMIT[v + LIMIT_OFFSET]} is {@code v} clamped to 0..255, for every {@code v} the sums above can give (no branches). */
    private static final int LIMIT_OFFSET = 512;
    private static final int[] LIMIT = new int[3 * LIMIT_OFFSET];

    static {
        for (int i = 0; i < LIMIT.length; i++) {
            LIMIT[i] = Math.max(0, Math.min(255, i - LIMIT_OFFSET));
        }
        for (int i = 0; i < 256; i++) {
            int c = i - 128;
            CR_TO_R[i] = (91881 * c + HALF) >> 16;
            CB_TO_B[i] = (116130 * c + HALF) >> 16;
            CR_TO_G[i] = -46802 * c;
            CB_TO_G[i] = -22554 * c + HALF;
        }
    }

    private final int outHeight;
    private final int outWidth;
    private final boolean invert;
    /** Weighted sums per crop column and channel for the output row being made. */
    private int[] sums = new int[0];
    /** One crop row as R, G, B values. */
    private int[] row = new int[0];

    // The frame being processed (set for one call only).
    private byte[] source;
    private boolean i420;
    private int cropX;
    private int cropY;
    private int mainOffset;
    private int mainStride;
    private int cbOffset;
    private int crOffset;
    private int chromaStride;

    public ColourPreprocessor(int outHeight, int outWidth, boolean invert) {
        if (outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outHeight + "x" + outWidth);
        }
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.invert = invert;
    }

    /** Bytes per output image, {@code outHeight*outWidth*3}. */
    public int outputSize() {
        return outHeight * outWidth * CHANNELS;
    }

    /**
     * Writes the output image for an interleaved RGB picture into {@code out}.
     *
     * @param pixels R, G, B per pixel; row {@code y} starts at {@code offset + y*stride}
     * @param stride bytes from one row to the next, {@code >= 3*width}
     */
    public void processRgb(byte[] pixels, int offset, int width, int height, int stride, byte[] out) {
        if (width <= 0 || height <= 0 || stride < 3L * width || offset < 0
                || offset + (long) (height - 1) * stride + 3L * width > pixels.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image with stride " + stride
                    + " at offset " + offset + " does not fit in " + pixels.length + " bytes");
        }
        requireOutput(out);
        i420 = false;
        mainOffset = offset;
        mainStride = stride;
        run(pixels, width, height, out);
    }

    /** {@link #processRgb} for a whole image. */
    public byte[] process(RgbImage image) {
        byte[] out = new byte[outputSize()];
        processRgb(image.pixels(), 0, image.width(), image.height(), 3 * image.width(), out);
        return out;
    }

    /**
     * Writes the output image for an I420 (YUV 4:2:0 planar) frame into {@code out}. The chroma planes
     * are {@code ceil(width/2) x ceil(height/2)}.
     *
     * @param lumaOffset   where row 0 of Y starts; row {@code y} at {@code lumaOffset + y*lumaStride}
     * @param cbOffset     where row 0 of Cb (U) starts; row {@code j} at {@code cbOffset + j*chromaStride}
     * @param crOffset     where row 0 of Cr (V) starts, with the same stride
     */
    public void processI420(byte[] frame, int width, int height, int lumaOffset, int lumaStride,
                            int cbOffset, int crOffset, int chromaStride, byte[] out) {
        int chromaWidth = (width + 1) / 2;
        int chromaHeight = (height + 1) / 2;
        if (width <= 0 || height <= 0 || lumaStride < width || chromaStride < chromaWidth
                || !fits(frame, lumaOffset, lumaStride, width, height)
                || !fits(frame, cbOffset, chromaStride, chromaWidth, chromaHeight)
                || !fits(frame, crOffset, chromaStride, chromaWidth, chromaHeight)) {
            throw new IllegalArgumentException("a " + width + "x" + height + " I420 frame with strides " + lumaStride + "/"
                    + chromaStride + " at offsets " + lumaOffset + "/" + cbOffset + "/" + crOffset + " does not fit in "
                    + frame.length + " bytes");
        }
        requireOutput(out);
        i420 = true;
        mainOffset = lumaOffset;
        mainStride = lumaStride;
        this.cbOffset = cbOffset;
        this.crOffset = crOffset;
        this.chromaStride = chromaStride;
        run(frame, width, height, out);
    }

    /**
     * {@link #processI420(byte[], int, int, int, int, int, int, int, byte[])} for the planes one after the other
     * from {@code offset}: Y ({@code lumaStride} per row), then Cb, then Cr, each with stride
     * {@code ceil(lumaStride/2)} (rpicam-vid's layout, and packed I420 when {@code lumaStride == width}).
     */
    public void processI420(byte[] frame, int offset, int width, int height, int lumaStride, byte[] out) {
        int stride = (lumaStride + 1) / 2;
        long cb = offset + (long) lumaStride * height;
        long cr = cb + (long) stride * ((height + 1) / 2);
        if (cr > Integer.MAX_VALUE || lumaStride <= 0) {
            throw new IllegalArgumentException("a " + width + "x" + height + " I420 frame with stride " + lumaStride
                    + " at offset " + offset + " does not fit in " + frame.length + " bytes");
        }
        processI420(frame, width, height, offset, lumaStride, (int) cb, (int) cr, stride, out);
    }

    /** The RGB of one full-range BT.601 YCbCr value, as the class comment states: {@code 0xRRGGBB}. */
    public static int rgb(int y, int cb, int cr) {
        return red(y, cr) << 16 | green(y, cb, cr) << 8 | blue(y, cb);
    }

    private static int red(int y, int cr) {
        return LIMIT[LIMIT_OFFSET + y + CR_TO_R[cr]];
    }

    private static int green(int y, int cb, int cr) {
        return LIMIT[LIMIT_OFFSET + y + greenTerm(cb, cr)];
    }

    private static int blue(int y, int cb) {
        return LIMIT[LIMIT_OFFSET + y + CB_TO_B[cb]];
    }

    private static int greenTerm(int cb, int cr) {
        return (CB_TO_G[cb] + CR_TO_G[cr]) >> 16;
    }

    private static boolean fits(byte[] bytes, int offset, int stride, int width, int height) {
        return offset >= 0 && offset + (long) (height - 1) * stride + width <= bytes.length;
    }

    private void requireOutput(byte[] out) {
        if (out.length < outputSize()) {
            throw new IllegalArgumentException("output holds " + out.length + " bytes, needs " + outputSize());
        }
    }

    private void run(byte[] frame, int width, int height, byte[] out) {
        int side = Math.min(width, height);
        cropX = (width - side) / 2;
        cropY = (height - side) / 2;
        source = frame;
        try {
            downscale(side, out);
        } finally {
            source = null;
        }
    }

    /** Area-average downscale of the {@code side x side} crop, as {@link Preprocessor} does per channel. */
    private void downscale(int side, byte[] out) {
        int values = side * CHANNELS;
        if (sums.length < values) {
            sums = new int[values];
            row = new int[values];
        }
        long area = (long) side * side;
        for (int oy = 0; oy < outHeight; oy++) {
            // Source rows overlapping output row oy, in units where a source pixel is outHeight long.
            long lo = (long) oy * side;
            long hi = lo + side;
            int firstRow = (int) (lo / outHeight);
            int lastRow = (int) ((hi - 1) / outHeight);
            Arrays.fill(sums, 0, values, 0);
            for (int sy = firstRow; sy <= lastRow; sy++) {
                int weight = (int) (Math.min((long) (sy + 1) * outHeight, hi) - Math.max((long) sy * outHeight, lo));
                readCropRow(sy, side);
                for (int i = 0; i < values; i++) {
                    sums[i] += weight * row[i];
                }
            }
            for (int ox = 0; ox < outWidth; ox++) {
                long clo = (long) ox * side;
                long chi = clo + side;
                int firstCol = (int) (clo / outWidth);
                int lastCol = (int) ((chi - 1) / outWidth);
                long r = 0;
                long g = 0;
                long b = 0;
                for (int sx = firstCol; sx <= lastCol; sx++) {
                    long weight = Math.min((long) (sx + 1) * outWidth, chi) - Math.max((long) sx * outWidth, clo);
                    r += weight * sums[3 * sx];
                    g += weight * sums[3 * sx + 1];
                    b += weight * sums[3 * sx + 2];
                }
                int at = (oy * outWidth + ox) * CHANNELS;
                out[at] = mean(r, area);
                out[at + 1] = mean(g, area);
                out[at + 2] = mean(b, area);
            }
        }
    }

    /** The total over the area (weights sum to {@code side} per axis), rounded half up, inverted when asked. */
    private byte mean(long total, long area) {
        int value = (int) ((total + area / 2) / area);
        return (byte) (invert ? 255 - value : value);
    }

    /** Fills {@link #row} with the R, G, B of the crop's row {@code sy}. */
    private void readCropRow(int sy, int side) {
        int y = cropY + sy;
        if (!i420) {
            int at = mainOffset + y * mainStride + cropX * CHANNELS;
            for (int i = 0; i < side * CHANNELS; i++) {
                row[i] = source[at + i] & 0xFF;
            }
            return;
        }
        byte[] frame = source;
        int[] rgb = row;
        int luma = mainOffset + y * mainStride + cropX;
        int chromaRow = (y >> 1) * chromaStride;
        int cbRow = cbOffset + chromaRow;
        int crRow = crOffset + chromaRow;
        for (int x = 0; x < side; x++) {
            int lum = LIMIT_OFFSET + (frame[luma + x] & 0xFF);
            int cx = (cropX + x) >> 1;
            int cb = frame[cbRow + cx] & 0xFF;
            int cr = frame[crRow + cx] & 0xFF;
            rgb[3 * x] = LIMIT[lum + CR_TO_R[cr]];
            rgb[3 * x + 1] = LIMIT[lum + greenTerm(cb, cr)];
            rgb[3 * x + 2] = LIMIT[lum + CB_TO_B[cb]];
        }
    }

    /** Reads a PNG or JPEG (or any format the JDK reads) as RGB; transparency is ignored. */
    public static RgbImage decode(Path imageFile) {
        return toRgb(Preprocessor.read(imageFile));
    }

    /** Converts any BufferedImage to RGB; a grey image gives {@code R = G = B} = its grey values. */
    public static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] pixels = new byte[3 * w * h];
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            // getRGB would pass grey through a linear-to-sRGB conversion; the grey path takes the bytes as they are.
            byte[] grey = Preprocessor.toGray(image).pixels();
            for (int i = 0; i < grey.length; i++) {
                pixels[3 * i] = grey[i];
                pixels[3 * i + 1] = grey[i];
                pixels[3 * i + 2] = grey[i];
            }
            return new RgbImage(w, h, pixels);
        }
        int[] line = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, line, 0, w);
            for (int x = 0; x < w; x++) {
                int at = 3 * (y * w + x);
                pixels[at] = (byte) (line[x] >> 16);
                pixels[at + 1] = (byte) (line[x] >> 8);
                pixels[at + 2] = (byte) line[x];
            }
        }
        return new RgbImage(w, h, pixels);
    }
}
