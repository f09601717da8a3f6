package org.edgeml.quantizer.calibration;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Activation;
import org.edgeml.host.data.Split;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DepthwiseConv2DLayer;
import org.edgeml.host.floatmodel.FloatFeatureLayer;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.io.ProgressBar;

/**
 * Runs representative images through the float network ({@link FloatNetwork#trace}) and records the
 * activations of every layer that requantizes (dense, conv2d, depthwise conv2d), then lets a
 * {@link CalibrationMethod} choose each range. Pools and flatten are not recorded: they keep their input's
 * quantization.
 */
public final class Calibrator {
    /** The most values kept per recorded activation (see {@link ValueSample}): 16 MB of floats. */
    static final int SAMPLE_CAPACITY = 1 << 22;

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
        List<FloatFeatureLayer> features = network.model().features();
        int layers = network.model().layers().size();
        ValueSample[] featurePre = new ValueSample[features.size()];
        ValueSample[] featureOut = new ValueSample[features.size()];
        for (int l = 0; l < features.size(); l++) {
            FloatFeatureLayer layer = features.get(l);
            if (requantizes(layer)) {
                int width = layer.outputShape().size();
                featureOut[l] = sample(n, width, seed, l);
                featurePre[l] = layer.activation().needsLookupTable() ? sample(n, width, seed, -l - 1) : null;
            }
        }
        ValueSample[] densePre = new ValueSample[layers];
        ValueSample[] denseOut = new ValueSample[layers];
        for (int l = 0; l < layers; l++) {
            int width = network.model().layers().get(l).outputs();
            Activation activation = network.model().layers().get(l).activation();
            denseOut[l] = sample(n, width, seed, 1000 + l);
            densePre[l] = activation.needsLookupTable() ? sample(n, width, seed, -1000 - l) : null;
        }
        ProgressBar bar = new ProgressBar(progress, "calibrating", n);
        for (int k = 0; k < n; k++) {
            FloatNetwork.Trace trace = network.trace(network.input(images.image(order[k])));
            record(featurePre, trace.featurePre());
            record(featureOut, trace.featureOut());
            record(densePre, trace.densePre());
            record(denseOut, trace.denseOut());
            bar.update(k + 1, "");
        }
        bar.finish();
        List<Calibration.LayerRanges> featureRanges = new ArrayList<>();
        Range previous = inputRange();
        for (int l = 0; l < features.size(); l++) {
            Calibration.LayerRanges ranges = featureOut[l] == null
                    ? new Calibration.LayerRanges(null, previous)
                    : ranges(featurePre[l], featureOut[l]);
            featureRanges.add(ranges);
            previous = ranges.output();
        }
        List<Calibration.LayerRanges> denseRanges = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            denseRanges.add(ranges(densePre[l], denseOut[l]));
        }
        return new Calibration(method, n, denseRanges, featureRanges);
    }

    /** Whether a feature layer has its own output quantization (conv2d, depthwise) rather than its input's. */
    public static boolean requantizes(FloatFeatureLayer layer) {
        return layer instanceof Conv2DLayer || layer instanceof DepthwiseConv2DLayer;
    }

    private Calibration.LayerRanges ranges(ValueSample pre, ValueSample out) {
        return new Calibration.LayerRanges(pre == null ? null : pre.choose(method), out.choose(method));
    }

    /** The range of the normalized input, 0..255 through the input spec. */
    private Range inputRange() {
        double a = network.model().input().normalize(0);
        double b = network.model().input().normalize(255);
        return new Range(Math.min(a, b), Math.max(a, b));
    }

    private static ValueSample sample(int images, int width, long seed, int salt) {
        return new ValueSample((int) Math.min(SAMPLE_CAPACITY, (long) images * width), seed * 31 + salt);
    }

    private static void record(ValueSample[] samples, float[][] values) {
        for (int l = 0; l < samples.length; l++) {
            if (samples[l] != null) {
                samples[l].add(values[l]);
            }
        }
    }
}
