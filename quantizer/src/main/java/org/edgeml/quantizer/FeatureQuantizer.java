package org.edgeml.quantizer;

import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.QuantParams;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDense;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.Window;
import org.edgeml.host.floatmodel.AveragePoolLayer;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DepthwiseConv2DLayer;
import org.edgeml.host.floatmodel.FlattenLayer;
import org.edgeml.host.floatmodel.FloatFeatureLayer;
import org.edgeml.host.floatmodel.GlobalAveragePoolLayer;
import org.edgeml.host.floatmodel.MaxPoolLayer;

/**
 * Quantizes one float feature layer per the TFLite int8 spec: conv2d and depthwise conv2d with
 * per-output-channel symmetric weights, int32 biases and per-channel multipliers ({@link ChannelQuantizer});
 * pools and flatten keep their input's quantization (the spec requires it of pooling; max pool is then
 * exact, average pool rounds its integer mean as TFLite does).
 */
public final class FeatureQuantizer {
    private FeatureQuantizer() {}

    /**
     * @param input         how the layer's input is quantized (the previous layer's output)
     * @param preActivation the quantization of the activation's argument, for lookup-table activations only
     * @param output        how a convolution's output is quantized; ignored by pools and flatten
     */
    public static FeatureLayer quantize(FloatFeatureLayer layer, QuantParams input, QuantParams preActivation,
                                        QuantParams output) {
        if (layer instanceof Conv2DLayer conv) {
            Window w = conv.window();
            int patch = w.kernelHeight() * w.kernelWidth() * w.input().channels();
            ChannelQuantizer.Channels c = ChannelQuantizer.quantize(conv.weights(), conv.bias(), conv.filters(), patch, patch, 1,
                    input, ChannelQuantizer.requantized(conv.activation(), preActivation, output), QuantizedDense.maxBias(patch));
            return new QuantizedConv2D(w, conv.filters(), c.weights(), c.weightScales(), c.bias(), input,
                    ChannelQuantizer.requantization(conv.activation(), c, preActivation, output));
        }
        if (layer instanceof DepthwiseConv2DLayer depthwise) {
            Window w = depthwise.window();
            int channels = w.input().channels();
            int taps = w.kernelHeight() * w.kernelWidth();
            ChannelQuantizer.Channels c = ChannelQuantizer.quantize(depthwise.weights(), depthwise.bias(), channels, taps, 1,
                    channels, input, ChannelQuantizer.requantized(depthwise.activation(), preActivation, output),
                    QuantizedDense.maxBias(taps));
            return new QuantizedDepthwiseConv2D(w, c.weights(), c.weightScales(), c.bias(), input,
                    ChannelQuantizer.requantization(depthwise.activation(), c, preActivation, output));
        }
        if (layer instanceof MaxPoolLayer pool) {
            return new MaxPool2D(pool.window(), input);
        }
        if (layer instanceof AveragePoolLayer pool) {
            return new AveragePool2D(pool.window(), input);
        }
        if (layer instanceof GlobalAveragePoolLayer pool) {
            return new GlobalAveragePool(pool.inputShape(), input);
        }
        return new Flatten(((FlattenLayer) layer).inputShape(), input);
    }
}
