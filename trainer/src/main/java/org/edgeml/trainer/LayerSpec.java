package org.edgeml.trainer;

import java.util.Locale;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;

/**
 * One layer of a {@code --layers} spec (docs/training.md), parsed by {@link LayerSpecParser}. Each kind
 * prints itself back in the spec syntax, so a recipe's spec reads the same in metadata and reports.
 */
public sealed interface LayerSpec {

    /** The layer in spec syntax, every option spelled out. */
    String text();

    /** Convolutions and pools: they work on {@code H x W x C} and must come before flatten, gap and dense layers. */
    sealed interface Spatial extends LayerSpec permits Conv, DepthwiseConv, Pool {}

    /** Layers with weights that a following {@code bn} folds into. */
    sealed interface Linear extends LayerSpec permits Conv, DepthwiseConv, Dense {
        Activation activation();
    }

    /** A 2-D convolution with {@code filters} output channels. */
    record Conv(int kernelHeight, int kernelWidth, int filters, int strideHeight, int strideWidth, Padding padding,
                Activation activation) implements Spatial, Linear {
        @Override
        public String text() {
            return "conv" + kernelHeight + "x" + kernelWidth + ":" + filters + window(strideHeight, strideWidth, padding)
                    + ":" + activation.cliName();
        }
    }

    /** A depthwise 2-D convolution, channel multiplier 1. */
    record DepthwiseConv(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding,
                         Activation activation) implements Spatial, Linear {
        @Override
        public String text() {
            return "dwconv" + kernelHeight + "x" + kernelWidth + window(strideHeight, strideWidth, padding) + ":"
                    + activation.cliName();
        }
    }

    /** Max ({@code max}) or average pooling; average pooling does not count padding. */
    record Pool(boolean max, int kernelHeight, int kernelWidth, int strideHeight, int strideWidth, Padding padding)
            implements Spatial {
        @Override
        public String text() {
            return (max ? "maxpool" : "avgpool") + kernelHeight + "x" + kernelWidth
                    + window(strideHeight, strideWidth, padding);
        }
    }

    /** The mean of each channel over the whole image: ends the spatial layers like a flatten. */
    record GlobalAveragePool() implements LayerSpec {
        @Override
        public String text() {
            return "gap";
        }
    }

    /** {@code H x W x C} to {@code H*W*C} values; inserted before the first dense layer when the spec leaves it out. */
    record Flatten() implements LayerSpec {
        @Override
        public String text() {
            return "flatten";
        }
    }

    record Dense(int units, Activation activation) implements Linear {
        @Override
        public String text() {
            return "dense:" + units + ":" + activation.cliName();
        }
    }

    /** A dense layer of {@code units} maxout units with {@code pieces} linear pieces each. */
    record Maxout(int units, int pieces) implements LayerSpec {
        @Override
        public String text() {
            return "maxout:" + units + ":" + pieces;
        }
    }

    /** Drops each value of the previous layer's output with probability {@code rate} while training. */
    record Dropout(double rate) implements LayerSpec {
        @Override
        public String text() {
            return "dropout:" + format(rate);
        }
    }

    /** Batch normalization of the previous conv, depthwise conv or dense layer's output, before its activation. */
    record BatchNorm() implements LayerSpec {
        @Override
        public String text() {
            return "bn";
        }
    }

    private static String window(int strideHeight, int strideWidth, Padding padding) {
        String stride = strideHeight == strideWidth ? "" + strideHeight : strideHeight + "x" + strideWidth;
        return ":s" + stride + ":" + padding.name().toLowerCase(Locale.ROOT);
    }

    private static String format(double value) {
        String s = Double.toString(value);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
