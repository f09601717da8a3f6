package org.edgeml.host.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** A white RGB image with antialiased text and lines, and the few drawing helpers the charts share. */
public final class Canvas {
    static final Color TEXT = new Color(0x22, 0x22, 0x22);
    static final Color GRID = new Color(0xE4, 0xE4, 0xE4);
    static final Color AXIS = new Color(0x55, 0x55, 0x55);
    static final Font BODY = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    final BufferedImage image;
    final Graphics2D g;

    Canvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(BODY);
        g.setStroke(new BasicStroke(1f));
    }

    /** Draws text with its horizontal anchor at {@code x} (0 left, 0.5 centre, 1 right) and vertically centred on {@code y}. */
    void text(String s, double x, double y, double anchor, Font font, Color color) {
        g.setFont(font);
        g.setColor(color);
        FontMetrics m = g.getFontMetrics();
        g.drawString(s, (float) (x - anchor * m.stringWidth(s)), (float) (y + (m.getAscent() - m.getDescent()) / 2.0));
    }

    void title(String s) {
        text(s, image.getWidth() / 2.0, 16, 0.5, TITLE, TEXT);
    }

    /** Draws a grayscale 0..255 image of {@code rows x cols} pixels, scaled by {@code scale}. */
    void gray(int[] pixels, int rows, int cols, int x, int y, int scale) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int v = pixels[r * cols + c];
                g.setColor(new Color(v, v, v));
                g.fillRect(x + c * scale, y + r * scale, scale, scale);
            }
        }
    }

    byte[] png() {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
