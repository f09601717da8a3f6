package org.edgeml.quantizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.GoldenVector;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.core.model.ModelInfo;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.InputSpec;
import org.edgeml.quantizer.calibration.Calibration;
import org.edgeml.quantizer.calibration.Range;

/**
 * Post-training static quantization of a float model, following the TFLite int8 scheme: the input
 * and every layer's output get asymmetric int8 parameters from the calibrated ranges (pools and flatten
 * keep their input's), weights are quantized per output channel (see {@link FeatureQuantizer} and
 * {@link DenseQuantizer}), and golden vectors computed by the very
 * engine the device runs pin the arithmetic.
 */
public final class PostTrainingQuantizer {
    /** Golden vectors stored in every model: test images of different classes, plus all-black and all-white. */
    public static final int GOLDEN_IMAGES = 8;

    private PostTrainingQuantizer() {}

    /** The int8 layers for {@code model} with {@code calibration}'s ranges; no golden vectors yet. */
    public static Q8Model quantize(FloatModel model, Calibration calibration, ModelInfo info) {
        if (calibration.layers().size() != model.layers().size()
                || calibration.features().size() != model.features().size()) {
            throw new IllegalArgumentException("calibration has " + calibration.features().size() + " feature and "
                    + calibration.layers().size() + " dense layers, the model " + model.features().size() + " and "
                    + model.layers().size());
        }
        InputQuantization input = inputQuantization(model.input());
        QuantParams previous = input.quantParams();
        List<FeatureLayer> features = new ArrayList<>();
        for (int l = 0; l < model.features().size(); l++) {
            Calibration.LayerRanges ranges = calibration.features().get(l);
            FeatureLayer q = FeatureQuantizer.quantize(model.features().get(l), previous, params(ranges.preActivation()),
                    params(ranges.output()));
            features.add(q);
            previous = q.output();
        }
        List<QuantizedDense> layers = new ArrayList<>();
        for (int l = 0; l < model.layers().size(); l++) {
            DenseLayer layer = model.layers().get(l);
            Calibration.LayerRanges ranges = calibration.layers().get(l);
            QuantizedDense q = DenseQuantizer.quantize(layer.inputs(), layer.outputs(), layer.pieces(), layer.activation(),
                    layer.weights(), layer.bias(), previous, params(ranges.preActivation()), params(ranges.output()));
            layers.add(q);
            previous = q.output();
        }
        return new Q8Model(info, input, features, layers, List.of());
    }

    /** The int8 input: the range of the normalized pixel values 0..255 maps onto -128..127. */
    public static InputQuantization inputQuantization(InputSpec spec) {
        double a = spec.normalize(0);
        double b = spec.normalize(255);
        QuantParams q = QuantParams.fromRange(Math.min(a, b), Math.max(a, b));
        return new InputQuantization(spec.height(), spec.width(), spec.channels(), spec.invert(), spec.scale(), spec.offset(),
                q.scale(), q.zeroPoint());
    }

    /** The parameters covering {@code range}; null for none. */
    private static QuantParams params(Range range) {
        return range == null ? null : QuantParams.fromRange(range.min(), range.max());
    }

    /**
     * Golden vectors: the first test image of each class in turn (up to {@link #GOLDEN_IMAGES}), then
     * an all-black and an all-white image, which drive the extremes of the input range.
     */
    public static Q8Model withGoldens(Q8Model model, LabeledImages images) {
        Int8Engine engine = new Int8Engine(model);
        List<byte[]> raw = new ArrayList<>();
        boolean[] taken = new boolean[model.classes()];
        for (int i = 0; i < images.count() && raw.size() < GOLDEN_IMAGES; i++) {
            int label = images.label(i);
            if (label < taken.length && !taken[label]) {
                taken[label] = true;
                raw.add(images.image(i));
            }
        }
        for (int i = 0; i < images.count() && raw.size() < GOLDEN_IMAGES; i++) {
            raw.add(images.image(i));
        }
        byte[] black = new byte[model.inputSize()];
        byte[] white = new byte[model.inputSize()];
        Arrays.fill(white, (byte) 255);
        raw.add(black);
        raw.add(white);
        List<GoldenVector> goldens = new ArrayList<>();
        for (byte[] pixels : raw) {
            byte[] in = new byte[model.inputSize()];
            byte[] out = new byte[model.classes()];
            engine.quantizeInput(pixels, in);
            engine.infer(in, out);
            goldens.add(new GoldenVector(in, out));
        }
        return model.withGoldens(goldens);
    }
}
