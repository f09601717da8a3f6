package org.edgeml.quantizer;

import java.util.List;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantParams;
import org.edgeml.host.floatmodel.AveragePoolLayer;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.DepthwiseConv2DLayer;
import org.edgeml.host.floatmodel.FloatFeatureLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.GlobalAveragePoolLayer;

/**
 * A worst-case bound on |dequantized int8 logit - float logit|, derived from the float weights and the
 * int8 model's activation scales alone (not from the engine's arithmetic), for inputs whose every
 * activation lies inside the calibrated ranges (calibrated with minmax on those same inputs). With
 * {@code e} the bound on a layer input's error, {@code M} the largest |value| its quantization
 * represents plus one step, {@code s_in} its scale, and per output channel {@code n} weights with
 * {@code L1 = sum |w|} and weight scale {@code s_w = max|w| / 127}:
 *
 * <pre>
 *   accumulator error  <= (L1 + n s_w / 2) e  +  n s_w / 2 * M  +  s_in s_w / 2
 *                          (error carried by the rounded weights, weight rounding times the input, bias rounding)
 *   requantized error  <= accumulator error + 1.5 s      (MultiplyByQuantizedMultiplier rounds twice, at most one
 *                          step together, and the zero point's rounding can pull the grid's end half a step inside
 *                          the calibrated range)
 *   lookup table       <= Lipschitz(activation) * that + 1.5 s_out
 *   max pool, flatten  <= e (max is 1-Lipschitz, nothing rounds); average pools <= e + s / 2 (the integer mean)
 * </pre>
 *
 * A maxout unit's error is its pieces' largest (max is 1-Lipschitz). Clamping to a range that holds
 * the true value only brings a value closer to it.
 */
final class ErrorBound {
    private ErrorBound() {}

    static double logits(FloatModel floatModel, Q8Model q8) {
        QuantParams in = q8.input().quantParams();
        double e = in.scale() / 2.0;
        List<FloatFeatureLayer> features = floatModel.features();
        for (int l = 0; l < features.size(); l++) {
            FloatFeatureLayer f = features.get(l);
            FeatureLayer q = q8.features().get(l);
            if (f instanceof Conv2DLayer conv) {
                int n = conv.weights().length / conv.filters();
                double acc = accumulator(conv.weights(), conv.filters(), n, n, 1, e, in);
                e = requantized(conv.activation(), acc, q);
            } else if (f instanceof DepthwiseConv2DLayer dw) {
                int channels = dw.inputShape().channels();
                double acc = accumulator(dw.weights(), channels, dw.weights().length / channels, 1, channels, e, in);
                e = requantized(dw.activation(), acc, q);
            } else if (f instanceof AveragePoolLayer || f instanceof GlobalAveragePoolLayer) {
                e += q.output().scale() / 2.0;
            }
            in = q.output();
        }
        for (int l = 0; l < floatModel.layers().size(); l++) {
            DenseLayer d = floatModel.layers().get(l);
            QuantParams out = q8.layers().get(l).output();
            QuantParams pre = new QuantParams(q8.layers().get(l).preActivationScale(), q8.layers().get(l).preActivationZeroPoint());
            double acc = accumulator(d.weights(), d.outputs() * d.pieces(), d.inputs(), d.inputs(), 1, e, in);
            e = requantized(d.activation(), acc, pre, out);
            in = out;
        }
        return e;
    }

    private static double accumulator(float[] w, int channels, int n, int channelStride, int elementStride, double e,
                                      QuantParams in) {
        double m = Math.max(Math.abs(in.dequantize(-128)), Math.abs(in.dequantize(127))) + in.scale();
        double worst = 0;
        for (int o = 0; o < channels; o++) {
            double l1 = 0;
            double maxAbs = 0;
            for (int k = 0; k < n; k++) {
                double v = Math.abs(w[o * channelStride + k * elementStride]);
                l1 += v;
                maxAbs = Math.max(maxAbs, v);
            }
            double sw = maxAbs / 127;
            worst = Math.max(worst, (l1 + n * sw / 2) * e + n * sw / 2 * m + in.scale() * sw / 2);
        }
        return worst;
    }

    private static double requantized(Activation activation, double acc, FeatureLayer q) {
        org.edgeml.core.model.Requantization r = q instanceof org.edgeml.core.model.QuantizedConv2D c ? c.requantization()
                : ((org.edgeml.core.model.QuantizedDepthwiseConv2D) q).requantization();
        return requantized(activation, acc, r.preActivation(), r.output());
    }

    private static double requantized(Activation activation, double acc, QuantParams pre, QuantParams out) {
        if (!activation.needsLookupTable()) {
            return acc + 1.5 * out.scale();
        }
        return lipschitz(activation) * (acc + 1.5 * pre.scale()) + 1.5 * out.scale();
    }

    private static double lipschitz(Activation a) {
        return switch (a) {
            case SIGMOID -> 0.25;
            case IDENTITY, RELU, LEAKYRELU, TANH, ELU -> 1;
            case GELU -> 1.13; // max of d/dx x*sigmoid(1.702x)
            case GELU_ERF, GELU_TANH -> 1.13; // max of d/dx of the exact GELU (about 1.129) and of its tanh form
        };
    }
}
