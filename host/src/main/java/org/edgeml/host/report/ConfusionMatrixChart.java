package org.edgeml.host.report;

import java.awt.Color;
import java.awt.Font;
import java.util.List;

/** The confusion matrix as a heat map: rows are true classes, columns predicted ones, cells show counts. */
public final class ConfusionMatrixChart {
    private static final int CELL = 52;
    private static final int LEFT = 120;
    private static final int TOP = 110;

    private ConfusionMatrixChart() {}

    public static byte[] png(int[][] confusion, List<String> labels) {
        int n = labels.size();
        Canvas c = new Canvas(LEFT + n * CELL + 20, TOP + n * CELL + 40);
        c.title("Test-set confusion matrix");
        int max = 1;
        for (int[] row : confusion) {
            for (int v : row) {
                max = Math.max(max, v);
            }
        }
        Font small = Canvas.BODY.deriveFont(11f);
        for (int t = 0; t < n; t++) {
            int rowTotal = 0;
            for (int v : confusion[t]) {
                rowTotal += v;
            }
            for (int p = 0; p < n; p++) {
                int v = confusion[t][p];
                double share = Math.sqrt((double) v / max);
                Color fill = t == p ? blend(new Color(0x1F, 0x77, 0xB4), share) : blend(new Color(0xD6, 0x27, 0x28), share);
                c.g.setColor(fill);
                c.g.fillRect(LEFT + p * CELL, TOP + t * CELL, CELL, CELL);
                c.g.setColor(Color.WHITE);
                c.g.drawRect(LEFT + p * CELL, TOP + t * CELL, CELL, CELL);
                if (v > 0) {
                    c.text(Integer.toString(v), LEFT + p * CELL + CELL / 2.0, TOP + t * CELL + CELL / 2.0, 0.5, small,
                            share > 0.6 ? Color.WHITE : Canvas.TEXT);
                }
            }
            c.text(shorten(labels.get(t)), LEFT - 8, TOP + t * CELL + CELL / 2.0, 1, small, Canvas.TEXT);
        }
        java.awt.geom.AffineTransform saved = c.g.getTransform();
        for (int p = 0; p < n; p++) {
            c.g.setTransform(saved);
            c.g.translate(LEFT + p * CELL + CELL / 2.0, TOP - 8);
            c.g.rotate(-Math.PI / 4);
            c.text(shorten(labels.get(p)), 0, 0, 0, small, Canvas.TEXT);
        }
        c.g.setTransform(saved);
        c.text("predicted", LEFT + n * CELL / 2.0, 34, 0.5, Canvas.BODY, Canvas.AXIS);
        c.text("true", 18, TOP + n * CELL / 2.0, 0, Canvas.BODY, Canvas.AXIS);
        return c.png();
    }

    private static Color blend(Color color, double share) {
        return new Color(mix(color.getRed(), share), mix(color.getGreen(), share), mix(color.getBlue(), share));
    }

    private static int mix(int channel, double share) {
        return (int) Math.round(255 + (channel - 255) * Math.min(1, share));
    }

    private static String shorten(String label) {
        return label.length() > 14 ? label.substring(0, 13) + "…" : label;
    }
}
