package org.edgeml.core.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.edgeml.core.EdgemlException;

/**
 * Turns a grayscale picture of any size into the model's small input image: the centre square is
 * cropped, then downscaled by area averaging (each output pixel is the exact mean of the source area
 * it covers, fractional pixels weighted by their overlap), optionally inverted ({@code p -> 255 - p}).
 *
 * <p>Camera frames (the luma plane of I420, with its row stride) and image files for folder datasets
 * go through this same code, so a model sees at training time exactly what the device will show it.
 * Integer arithmetic only; no allocation per frame. {@link ColourPreprocessor} does the same for colour models.
 */
public final class Preprocessor {
    private final int outHeight;
    private final int outWidth;
    private final boolean invert;
    private int[] columnSums = new int[0];

    public Preprocessor(int outHeight, int outWidth, boolean invert) {
        if (outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + outHeight + "x" + outWidth);
        }
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.invert = invert;
    }

    public int outputSize() {
        return outHeight * outWidth;
    }

    /**
     * Writes the {@code outHeight x outWidth} image for a grayscale plane into {@code out}.
     *
     * @param plane  the pixels; row {@code y} starts at {@code offset + y*stride}
     * @param stride bytes from one row to the next ({@code >= width}; camera rows are padded)
     */
    public void process(byte[] plane, int offset, int width, int height, int stride, byte[] out) {
        if (width <= 0 || height <= 0 || stride < width || offset < 0
                || offset + (long) (height - 1) * stride + width > plane.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " plane with stride " + stride
                    + " at offset " + offset + " does not fit in " + plane.length + " bytes");
        }
        if (out.length < outputSize()) {
            throw new IllegalArgumentException("output holds " + out.length + " bytes, needs " + outputSize());
        }
        int side = Math.min(width, height);
        int x0 = (width - side) / 2;
        int y0 = (height - side) / 2;
        if (columnSums.length < side) {
            columnSums = new int[side];
        }
        int[] sums = columnSums;
        long area = (long) side * side;
        for (int oy = 0; oy < outHeight; oy++) {
            // Source rows overlapping output row oy, in units where a source pixel is outHeight long.
            long lo = (long) oy * side;
            long hi = lo + side;
            int firstRow = (int) (lo / outHeight);
            int lastRow = (int) ((hi - 1) / outHeight);
            java.util.Arrays.fill(sums, 0, side, 0);
            for (int sy = firstRow; sy <= lastRow; sy++) {
                int weight = (int) (Math.min((long) (sy + 1) * outHeight, hi) - Math.max((long) sy * outHeight, lo));
                int row = offset + (y0 + sy) * stride + x0;
                for (int x = 0; x < side; x++) {
                    sums[x] += weight * (plane[row + x] & 0xFF);
                }
            }
            for (int ox = 0; ox < outWidth; ox++) {
                long clo = (long) ox * side;
                long chi = clo + side;
                int firstCol = (int) (clo / outWidth);
                int lastCol = (int) ((chi - 1) / outWidth);
                long total = 0;
                for (int sx = firstCol; sx <= lastCol; sx++) {
                    long weight = Math.min((long) (sx + 1) * outWidth, chi) - Math.max((long) sx * outWidth, clo);
                    total += weight * sums[sx];
                }
                // Weights sum to side per axis (in units of outHeight/outWidth): rescale and round half up.
                long denominator = area;
                int value = (int) ((total + denominator / 2) / denominator);
                out[oy * outWidth + ox] = (byte) (invert ? 255 - value : value);
            }
        }
    }

    /** Convenience for a whole grayscale image. */
    public byte[] process(GrayImage image) {
        byte[] out = new byte[outputSize()];
        process(image.pixels(), 0, image.width(), image.height(), image.width(), out);
        return out;
    }

    /**
     * Reads a PNG or JPEG (or any format the JDK reads) as grayscale, using the luma weights of
     * BT.601 (as the camera's Y plane does); transparency is ignored.
     */
    public static GrayImage decode(Path imageFile) {
        return toGray(read(imageFile));
    }

    /** Reads a PNG or JPEG (or any format the JDK reads); a missing or unreadable file is one clear error. */
    static BufferedImage read(Path imageFile) {
        BufferedImage image;
        try {
            if (!Files.isRegularFile(imageFile)) {
                throw new NoSuchFileException(imageFile.toString());
            }
            image = ImageIO.read(imageFile.toFile());
        } catch (NoSuchFileException e) {
            throw new EdgemlException(imageFile + ": no such image file");
        } catch (IOException | RuntimeException e) {
            throw new EdgemlException(imageFile + ": unreadable image (" + e.getMessage() + "); use a PNG or JPEG file");
        }
        if (image == null) {
            throw new EdgemlException(imageFile + ": not a PNG or JPEG image; use a PNG or JPEG file");
        }
        return image;
    }

    /** Converts any BufferedImage to grayscale. */
    public static GrayImage toGray(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] pixels = new byte[w * h];
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            image.getRaster().getDataElements(0, 0, w, h, pixels);
            return new GrayImage(w, h, pixels);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                pixels[y * w + x] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
            }
        }
        return new GrayImage(w, h, pixels);
    }
}
