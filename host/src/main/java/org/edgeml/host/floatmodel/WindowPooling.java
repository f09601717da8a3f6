package org.edgeml.host.floatmodel;

import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/**
 * The window loop of max and average pooling: each output value reduces the in-bounds input values of
 * its window and channel; padding positions are skipped (TFLite's pooling, which the int8 engine matches).
 */
final class WindowPooling {
    private WindowPooling() {}

    static float[] pool(Window window, float[] x, boolean average) {
        Shape in = window.input();
        Shape out = window.output(in.channels());
        int channels = in.channels();
        float[] y = new float[out.size()];
        for (int oy = 0; oy < out.height(); oy++) {
            int y0 = Math.max(0, oy * window.strideHeight() - window.padTop());
            int y1 = Math.min(in.height(), oy * window.strideHeight() - window.padTop() + window.kernelHeight());
            for (int ox = 0; ox < out.width(); ox++) {
                int x0 = Math.max(0, ox * window.strideWidth() - window.padLeft());
                int x1 = Math.min(in.width(), ox * window.strideWidth() - window.padLeft() + window.kernelWidth());
                int count = (y1 - y0) * (x1 - x0);
                int outBase = (oy * out.width() + ox) * channels;
                for (int c = 0; c < channels; c++) {
                    float acc = average ? 0 : Float.NEGATIVE_INFINITY;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            float v = x[(iy * in.width() + ix) * channels + c];
                            acc = average ? acc + v : Math.max(acc, v);
                        }
                    }
                    y[outBase + c] = average ? acc / count : acc;
                }
            }
        }
        return y;
    }
}
