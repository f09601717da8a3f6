package org.edgeml.quantizer.calibration;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.host.data.Split;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.io.ProgressBar;

/**
 * Runs representative images through the float network and records every layer's activations, then
 * lets a {@link CalibrationMethod} choose each range.
 */
public final class Calibrator {
    private final FloatNetwork network;
    private final CalibrationMethod method;

    public Calibrator(FloatNetwork network, CalibrationMethod method) {
        this.network = network;
        this.method = method;
    }

    /** Calibrates on {@code count} images drawn (seeded, without replacement) from {@code images}. */
    public Calibration calibrate(LabeledImages images, int count, long seed, PrintStream progress) {
        int n = Math.min(count, images.count());
        if (n <= 0) {
            throw new org.edgeml.core.EdgemlException("calibration needs at least one image (--calibration N with N >= 1)");
        }
        if (n < count) {
            progress.println("edgeml: warning: --calibration " + count + " asks for more than the " + images.count()
                    + " training images there are; calibrating on all " + n);
        }
        int[] order = Split.shuffled(images.count(), seed);
        int layers = network.model().layers().size();
        float[][] pre = new float[layers][];
        float[][] post = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int width = network.model().layers().get(l).outputs();
            pre[l] = new float[n * width];
            post[l] = new float[n * width];
        }
        ProgressBar bar = new ProgressBar(progress, "calibrating", n);
        for (int k = 0; k < n; k++) {
            float[] x = network.input(images.image(order[k]));
            float[][] z = network.preActivations(x);
            float[][] y = network.activations(x);
            for (int l = 0; l < layers; l++) {
                System.arraycopy(z[l], 0, pre[l], k * z[l].length, z[l].length);
                System.arraycopy(y[l], 0, post[l], k * y[l].length, y[l].length);
            }
            bar.update(k + 1, "");
        }
        bar.finish();
        List<Calibration.LayerRanges> ranges = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            boolean lut = network.model().layers().get(l).activation().needsLookupTable();
            Range output = method.choose(post[l], post[l].length);
            Range preActivation = lut ? method.choose(pre[l], pre[l].length) : null;
            ranges.add(new Calibration.LayerRanges(preActivation, output));
        }
        return new Calibration(method, n, ranges);
    }
}
