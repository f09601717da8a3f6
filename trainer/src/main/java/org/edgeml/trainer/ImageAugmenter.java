package org.edgeml.trainer;

import java.util.Random;
import org.edgeml.core.data.LabeledImages;

/**
 * Draws a random change per image within an {@link Augmentation} and applies it: an affine warp about the
 * image centre (bilinear, edges extended, so a shifted photo keeps its background) followed by brightness and
 * contrast about the image's mean.
 */
public final class ImageAugmenter {
    private final Augmentation limits;

    public ImageAugmenter(Augmentation limits) {
        this.limits = limits;
    }

    /** One drawn change: shifts in pixels, zoom factor, rotation in radians, brightness in grey levels. */
    record Change(double dx, double dy, double zoom, double angle, double brightness, double contrast, boolean mirror) {
        static final Change IDENTITY = new Change(0, 0, 1, 0, 0, 1, false);
    }

    Change draw(Random rnd, int rows, int cols) {
        return new Change(
                symmetric(rnd, limits.shift()) * cols,
                symmetric(rnd, limits.shift()) * rows,
                1 + symmetric(rnd, limits.scale()),
                Math.toRadians(symmetric(rnd, limits.rotationDegrees())),
                symmetric(rnd, limits.brightness()) * 255,
                1 + symmetric(rnd, limits.contrast()),
                limits.flip() && rnd.nextBoolean());
    }

    private static double symmetric(Random rnd, double limit) {
        return limit == 0 ? 0 : (rnd.nextDouble() * 2 - 1) * limit;
    }

    /** Every image changed once, labels kept; the same seed gives the same images. */
    public LabeledImages augment(LabeledImages images, long seed) {
        Random rnd = new Random(seed);
        int size = images.imageSize();
        byte[] out = new byte[images.pixels().length];
        byte[] in = new byte[size];
        byte[] changed = new byte[size];
        for (int i = 0; i < images.count(); i++) {
            System.arraycopy(images.pixels(), i * size, in, 0, size);
            apply(in, images.rows(), images.cols(), images.channels(), draw(rnd, images.rows(), images.cols()), changed);
            System.arraycopy(changed, 0, out, i * size, size);
        }
        return new LabeledImages(images.rows(), images.cols(), images.channels(), out, images.labels());
    }

    /** {@link #apply(byte[], int, int, int, Change, byte[])} on a grey image. */
    static void apply(byte[] src, int rows, int cols, Change c, byte[] dst) {
        apply(src, rows, cols, 1, c, dst);
    }

    /**
     * Writes the changed image ({@code rows x cols x channels}, HWC) to {@code dst}: destination pixel (x, y)
     * samples the source at the inverse of "mirror, zoom and rotate about the centre, then shift", every
     * channel at the same point; brightness and contrast then change every value alike, about the mean of
     * all of them.
     */
    static void apply(byte[] src, int rows, int cols, int channels, Change c, byte[] dst) {
        double cx = (cols - 1) / 2.0;
        double cy = (rows - 1) / 2.0;
        double cos = Math.cos(c.angle()) / c.zoom();
        double sin = Math.sin(c.angle()) / c.zoom();
        double sum = 0;
        double[] warped = new double[rows * cols * channels];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                double u = x - c.dx() - cx;
                double v = y - c.dy() - cy;
                double sx = cos * u + sin * v + cx;
                double sy = -sin * u + cos * v + cy;
                if (c.mirror()) {
                    sx = cols - 1 - sx;
                }
                for (int ch = 0; ch < channels; ch++) {
                    double value = bilinear(src, rows, cols, channels, ch, sx, sy);
                    warped[(y * cols + x) * channels + ch] = value;
                    sum += value;
                }
            }
        }
        double mean = sum / warped.length;
        for (int p = 0; p < warped.length; p++) {
            double value = (warped[p] - mean) * c.contrast() + mean + c.brightness();
            dst[p] = (byte) Math.max(0, Math.min(255, Math.round(value)));
        }
    }

    private static double bilinear(byte[] src, int rows, int cols, int channels, int channel, double x, double y) {
        x = Math.max(0, Math.min(cols - 1, x));
        y = Math.max(0, Math.min(rows - 1, y));
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int x1 = Math.min(cols - 1, x0 + 1);
        int y1 = Math.min(rows - 1, y0 + 1);
        double fx = x - x0;
        double fy = y - y0;
        double top = value(src, cols, channels, channel, x0, y0) * (1 - fx) + value(src, cols, channels, channel, x1, y0) * fx;
        double bottom = value(src, cols, channels, channel, x0, y1) * (1 - fx) + value(src, cols, channels, channel, x1, y1) * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static int value(byte[] src, int cols, int channels, int channel, int x, int y) {
        return src[(y * cols + x) * channels + channel] & 0xFF;
    }
}
