package org.edgeml.quantizer.export;

import java.util.List;
import java.util.Locale;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;
import org.edgeml.core.model.Requantization;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.core.model.WindowPool;

/**
 * The feature layers (convolutions, pools, flatten) in {@code <stem>_model.h}: per convolution
 * {@code n} its weights ({@code edgeml_featureN_weights}, TFLite's layouts), bias and requantization
 * tables, then the {@code edgeml_features[]} descriptors (kind, window geometry with the padding already
 * worked out, table pointers) that {@code edgeml_infer.c} runs in order before the dense layers.
 */
final class FeatureTables {
    private FeatureTables() {}

    static void write(CCode c, List<FeatureLayer> features) {
        if (features.isEmpty()) {
            return;
        }
        for (int f = 0; f < features.size(); f++) {
            tables(c, f, features.get(f));
        }
        c.blank();
        c.line("/* {kind, {input height, width, channels, kernel height, width, stride height, width, pad top, left,"
                + " output height, width}, output channels, weights, bias, input zero point, requantization} */");
        c.line("static const edgeml_feature edgeml_features[EDGEML_FEATURES] = {");
        for (int f = 0; f < features.size(); f++) {
            c.line("    " + descriptor(f, features.get(f)) + ",");
        }
        c.line("};");
    }

    /** Constant table bytes of one layer: weights, 4-byte biases and requantization tables; none for pools and flatten. */
    static long tableBytes(FeatureLayer layer) {
        if (layer instanceof QuantizedConv2D conv) {
            return conv.weights().length + 4L * conv.bias().length + Requantizations.tableBytes(conv.requantization());
        } else if (layer instanceof QuantizedDepthwiseConv2D depthwise) {
            return depthwise.weights().length + 4L * depthwise.bias().length
                    + Requantizations.tableBytes(depthwise.requantization());
        }
        return 0;
    }

    private static String prefix(int f) {
        return "edgeml_feature" + f + "_";
    }

    private static void tables(CCode c, int f, FeatureLayer layer) {
        c.blank();
        c.line("/* Feature layer " + f + ": " + describe(layer) + ". */");
        String p = prefix(f);
        if (layer instanceof QuantizedConv2D conv) {
            Window w = conv.window();
            int perOutput = w.kernelHeight() * w.kernelWidth() * w.input().channels();
            c.int8Array(p + "weights", conv.outputChannels() + " * " + w.kernelHeight() + " * " + w.kernelWidth() + " * "
                    + w.input().channels(), conv.weights(), perOutput, "output channel", "EDGEML_TABLE_ATTR");
            convTables(c, p, conv.bias(), conv.requantization());
        } else if (layer instanceof QuantizedDepthwiseConv2D depthwise) {
            Window w = depthwise.window();
            c.int8Array(p + "weights", w.kernelHeight() + " * " + w.kernelWidth() + " * " + w.input().channels(),
                    depthwise.weights(), w.input().channels(), null, "EDGEML_TABLE_ATTR");
            convTables(c, p, depthwise.bias(), depthwise.requantization());
        }
    }

    private static void convTables(CCode c, String p, int[] bias, Requantization r) {
        c.int32Array(p + "bias", Integer.toString(bias.length), bias, "EDGEML_TABLE_ATTR");
        Requantizations.tables(c, p, Integer.toString(bias.length), r);
    }

    private static String descriptor(int f, FeatureLayer layer) {
        String p = prefix(f);
        String none = "0, {NULL, NULL, NULL, 0, -128, 127}";
        if (layer instanceof QuantizedConv2D conv) {
            return "{EDGEML_CONV2D, " + window(conv.window()) + ", " + conv.outputChannels() + ", " + p + "weights, " + p + "bias, "
                    + conv.input().zeroPoint() + ", " + Requantizations.initializer(p, conv.requantization()) + "}";
        } else if (layer instanceof QuantizedDepthwiseConv2D depthwise) {
            return "{EDGEML_DEPTHWISE_CONV2D, " + window(depthwise.window()) + ", " + depthwise.window().input().channels() + ", "
                    + p + "weights, " + p + "bias, " + depthwise.input().zeroPoint() + ", "
                    + Requantizations.initializer(p, depthwise.requantization()) + "}";
        } else if (layer instanceof MaxPool2D pool) {
            return "{EDGEML_MAX_POOL, " + window(pool.window()) + ", " + pool.window().input().channels() + ", NULL, NULL, " + none + "}";
        } else if (layer instanceof AveragePool2D pool) {
            return "{EDGEML_AVERAGE_POOL, " + window(pool.window()) + ", " + pool.window().input().channels() + ", NULL, NULL, "
                    + none + "}";
        } else if (layer instanceof GlobalAveragePool pool) {
            Shape in = pool.inputShape();
            return "{EDGEML_GLOBAL_AVERAGE_POOL, " + window(in, in.height(), in.width(), 1, 1, 0, 0, 1, 1) + ", "
                    + in.channels() + ", NULL, NULL, " + none + "}";
        } else if (layer instanceof Flatten flatten) {
            Shape in = flatten.inputShape();
            return "{EDGEML_FLATTEN, " + window(in, 1, 1, 1, 1, 0, 0, in.height(), in.width()) + ", " + in.channels()
                    + ", NULL, NULL, " + none + "}";
        }
        throw new EdgemlException("export-c has no C kernel for a " + layer.kind() + " layer yet: run the model with the"
                + " Java engine (check, run)");
    }

    private static String window(Window w) {
        return window(w.input(), w.kernelHeight(), w.kernelWidth(), w.strideHeight(), w.strideWidth(), w.padTop(), w.padLeft(),
                w.outputHeight(), w.outputWidth());
    }

    /** {@code {input_height, input_width, channels, kernel_height, kernel_width, stride_height, stride_width, pad_top, pad_left, output_height, output_width}}. */
    private static String window(Shape in, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth,
                                 int padTop, int padLeft, int outputHeight, int outputWidth) {
        return "{" + in.height() + ", " + in.width() + ", " + in.channels() + ", " + kernelHeight + ", " + kernelWidth + ", "
                + strideHeight + ", " + strideWidth + ", " + padTop + ", " + padLeft + ", " + outputHeight + ", " + outputWidth + "}";
    }

    private static String describe(FeatureLayer layer) {
        StringBuilder s = new StringBuilder(layer.kind());
        if (layer instanceof QuantizedConv2D conv) {
            s.append(' ').append(conv.window());
        } else if (layer instanceof QuantizedDepthwiseConv2D depthwise) {
            s.append(' ').append(depthwise.window());
        } else if (layer instanceof WindowPool pool) {
            s.append(' ').append(pool.window());
        } else {
            s.append(" over ").append(layer.inputShape());
        }
        s.append(" -> ").append(layer.outputShape());
        if (layer instanceof QuantizedConv2D conv) {
            s.append(", ").append(requantization(conv.requantization()));
        } else if (layer instanceof QuantizedDepthwiseConv2D depthwise) {
            s.append(", ").append(requantization(depthwise.requantization()));
        }
        s.append(String.format(Locale.ROOT, "; input scale %s zero point %d, output scale %s zero point %d",
                layer.input().scale(), layer.input().zeroPoint(), layer.output().scale(), layer.output().zeroPoint()));
        return s.toString();
    }

    private static String requantization(Requantization r) {
        return r.activation().cliName() + ", clamp [" + r.clampMin() + ", " + r.clampMax() + "]";
    }
}
