package org.edgeml.host.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Path2D;
import java.util.List;
import java.util.Locale;

/** A line chart of values per epoch: axes with ticks, a light grid, one coloured line per series and a legend. */
public final class LineChart {
    public record Series(String name, Color color, List<Double> values) {}

    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 36;
    private static final int BOTTOM = 52;

    private LineChart() {}

    public static byte[] png(String title, String yLabel, List<Series> series) {
        Canvas c = new Canvas(WIDTH, HEIGHT);
        c.title(title);
        int epochs = series.stream().mapToInt(s -> s.values().size()).max().orElse(1);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        double pad = Math.max((hi - lo) * 0.08, 1e-3);
        double step = niceStep((hi - lo + 2 * pad) / 6);
        double yMin = Math.floor((lo - pad) / step) * step;
        double yMax = Math.ceil((hi + pad) / step) * step;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        double xMin = 1;
        double xMax = Math.max(2, epochs);

        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step)));
        for (double v = yMin; v <= yMax + step / 2; v += step) {
            int y = (int) Math.round(TOP + plotH * (1 - (v - yMin) / (yMax - yMin)));
            c.g.setColor(Canvas.GRID);
            c.g.drawLine(LEFT, y, LEFT + plotW, y);
            c.g.setColor(Canvas.AXIS);
            c.g.drawLine(LEFT - 4, y, LEFT, y);
            c.text(String.format(Locale.ROOT, "%." + decimals + "f", v), LEFT - 7, y, 1, Canvas.BODY, Canvas.TEXT);
        }
        int xStep = Math.max(1, (int) niceStep((xMax - xMin) / 10));
        for (int e = 1; e <= xMax; e += (e == 1 && xStep > 1 ? xStep - 1 : xStep)) {
            int x = (int) Math.round(LEFT + plotW * (e - xMin) / (xMax - xMin));
            c.g.setColor(Canvas.AXIS);
            c.g.drawLine(x, TOP + plotH, x, TOP + plotH + 4);
            c.text(Integer.toString(e), x, TOP + plotH + 14, 0.5, Canvas.BODY, Canvas.TEXT);
        }
        c.g.setColor(Canvas.AXIS);
        c.g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
        c.g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
        c.text("epoch", LEFT + plotW / 2.0, HEIGHT - 14, 0.5, Canvas.BODY, Canvas.TEXT);
        java.awt.geom.AffineTransform saved = c.g.getTransform();
        c.g.rotate(-Math.PI / 2);
        c.text(yLabel, -(TOP + plotH / 2.0), 16, 0.5, Canvas.BODY, Canvas.TEXT);
        c.g.setTransform(saved);

        int legendY = TOP + 12;
        for (Series s : series) {
            Path2D.Double line = new Path2D.Double();
            boolean started = false;
            for (int i = 0; i < s.values().size(); i++) {
                double v = s.values().get(i);
                if (!Double.isFinite(v)) {
                    continue;
                }
                double x = LEFT + plotW * (i + 1 - xMin) / (xMax - xMin);
                double y = TOP + plotH * (1 - (v - yMin) / (yMax - yMin));
                if (started) {
                    line.lineTo(x, y);
                } else {
                    line.moveTo(x, y);
                    started = true;
                }
                c.g.setColor(s.color());
                c.g.fillOval((int) Math.round(x) - 3, (int) Math.round(y) - 3, 7, 7);
            }
            c.g.setColor(s.color());
            c.g.setStroke(new BasicStroke(2f));
            c.g.draw(line);
            c.g.setStroke(new BasicStroke(1f));
            int lx = LEFT + plotW - 150;
            c.g.drawLine(lx, legendY, lx + 24, legendY);
            c.text(s.name(), lx + 32, legendY, 0, Canvas.BODY, Canvas.TEXT);
            legendY += 18;
        }
        return c.png();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-12))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }
}
