package org.edgeml.host.report;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import org.edgeml.core.data.LabeledImages;

/** Small grayscale images in a grid, each with an optional caption underneath. */
public final class ImageGrid {
    public record Tile(int[] pixels, String caption, Color captionColor) {}

    private ImageGrid() {}

    /**
     * Image {@code i} of {@code images} as grey levels for a tile: a grey image's bytes, a colour image's
     * BT.601 luma per pixel, {@code (299 R + 587 G + 114 B + 500) / 1000} (what a grey model would see).
     */
    public static int[] greyPixels(LabeledImages images, int i) {
        int[] pixels = new int[images.rows() * images.cols()];
        for (int p = 0; p < pixels.length; p++) {
            int y = p / images.cols();
            int x = p % images.cols();
            pixels[p] = images.channels() == 1 ? images.pixel(i, y, x)
                    : (299 * images.pixel(i, y, x, 0) + 587 * images.pixel(i, y, x, 1) + 114 * images.pixel(i, y, x, 2)
                    + 500) / 1000;
        }
        return pixels;
    }

    public static byte[] png(String title, List<Tile> tiles, int rows, int cols, int columns, int scale) {
        boolean captions = tiles.stream().anyMatch(t -> t.caption() != null);
        int tileW = Math.max(cols * scale, captions ? 96 : 0) + 8;
        int tileH = rows * scale + (captions ? 34 : 0) + 8;
        int gridRows = Math.max(1, (tiles.size() + columns - 1) / columns);
        Canvas c = new Canvas(Math.max(columns * tileW + 16, 320), gridRows * tileH + 44);
        c.title(title);
        Font small = Canvas.BODY.deriveFont(10f);
        if (tiles.isEmpty()) {
            c.text("(none)", 16, 60, 0, Canvas.BODY, Canvas.TEXT);
        }
        for (int i = 0; i < tiles.size(); i++) {
            Tile tile = tiles.get(i);
            int x = 8 + (i % columns) * tileW;
            int y = 36 + (i / columns) * tileH;
            int imageX = x + (tileW - 8 - cols * scale) / 2;
            c.gray(tile.pixels(), rows, cols, imageX, y, scale);
            c.g.setColor(Canvas.GRID);
            c.g.drawRect(imageX - 1, y - 1, cols * scale + 1, rows * scale + 1);
            if (tile.caption() != null) {
                String[] lines = tile.caption().split("\n");
                for (int l = 0; l < lines.length; l++) {
                    c.text(lines[l], x + (tileW - 8) / 2.0, y + rows * scale + 9 + 12 * l, 0.5, small,
                            l == 0 ? Canvas.TEXT : tile.captionColor());
                }
            }
        }
        return c.png();
    }

    /** Maps weights to gray levels, symmetric around 0 (mid-gray), by the largest magnitude in the row. */
    public static int[] weightsToGray(float[] weights, int from, int count) {
        float max = 1e-12f;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, Math.abs(weights[from + i]));
        }
        int[] gray = new int[count];
        for (int i = 0; i < count; i++) {
            gray[i] = (int) Math.round(127.5 + 127.5 * weights[from + i] / max);
        }
        return gray;
    }
}
