package org.edgeml.trainer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.host.floatmodel.AveragePoolLayer;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.DepthwiseConv2DLayer;
import org.edgeml.host.floatmodel.FlattenLayer;
import org.edgeml.host.floatmodel.FloatFeatureLayer;
import org.edgeml.host.floatmodel.GlobalAveragePoolLayer;
import org.edgeml.host.floatmodel.MaxPoolLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.InputSpec;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Converts a trained DL4J network to what the rest of edgeml reads. */
final class Dl4jModels {
    private Dl4jModels() {}

    /**
     * The float model: DL4J stores {@code W} as [in, out]; edgeml wants output-major [out][in]. The
     * output layer becomes an identity layer giving logits (its softmax does not change the argmax).
     */
    static FloatModel toFloatModel(MultiLayerNetwork network, Activation hidden, InputSpec input,
                                   List<String> labels, Map<String, Object> metadata) {
        int count = network.getnLayers();
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 0; l < count; l++) {
            float[][] w = network.getParam(l + "_W").toFloatMatrix();
            float[] bias = network.getParam(l + "_b").toFloatVector();
            int inputs = w.length;
            int outputs = bias.length;
            float[] weights = new float[inputs * outputs];
            for (int i = 0; i < inputs; i++) {
                for (int o = 0; o < outputs; o++) {
                    weights[o * inputs + i] = w[i][o];
                }
            }
            layers.add(new DenseLayer(inputs, outputs, l == count - 1 ? Activation.IDENTITY : hidden, weights, bias));
        }
        return new FloatModel(input, layers, labels, metadata);
    }

    /**
     * The float model of a network built from a {@code --layers} spec (rows of the input in DL4J's
     * channel-major order). Convolution weights go from DL4J's {@code [out][in][kh][kw]} to OHWI and
     * depthwise ones from {@code [kh][kw][C][1]} to {@code [kh][kw][C]}; batch normalization is folded into
     * the layer before it and an activation layer becomes that layer's activation; dropout disappears; the
     * first dense layer after the convolutions gets an explicit flatten and its weight columns are permuted
     * from DL4J's channel-major flatten order to NHWC. Layers or options edgeml cannot express are refused.
     */
    static FloatModel toFloatModel(MultiLayerNetwork network, InputSpec input, List<String> labels,
                                   Map<String, Object> metadata) {
        Converter converter = new Converter(input.shape());
        for (int l = 0; l < network.getnLayers(); l++) {
            converter.add(l, network.getLayer(l));
        }
        return new FloatModel(input, converter.features, converter.dense, labels, metadata);
    }

    /** Walks the layers once, keeping the current activation shape. */
    private static final class Converter {
        final List<FloatFeatureLayer> features = new ArrayList<>();
        final List<DenseLayer> dense = new ArrayList<>();
        private Shape shape;
        private boolean flat;

        Converter(Shape input) {
            this.shape = input;
        }

        void add(int index, org.deeplearning4j.nn.api.Layer layer) {
            Layer conf = layer.conf().getLayer();
            if (conf instanceof DepthwiseConvolution2D d) {
                long[] shapeW = layer.getParam("W").shape();
                if (shapeW.length != 4 || shapeW[3] != 1) {
                    throw refuse(index, "a depthwise convolution with a channel multiplier other than 1");
                }
                Window window = window(index, d.getKernelSize(), d.getStride(), d.getPadding(), d.getDilation(),
                        d.getConvolutionMode());
                features.add(new DepthwiseConv2DLayer(window, activation(index, d.getActivationFn()),
                        cOrder(layer.getParam("W")), bias(layer, window.input().channels())));
                shape = features.get(features.size() - 1).outputShape();
            } else if (conf instanceof ConvolutionLayer c) {
                if (conf.getClass() != ConvolutionLayer.class) {
                    throw refuse(index, "a " + conf.getClass().getSimpleName());
                }
                Window window = window(index, c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation(),
                        c.getConvolutionMode());
                int filters = (int) c.getNOut();
                int channels = window.input().channels();
                int kh = window.kernelHeight();
                int kw = window.kernelWidth();
                float[] oihw = cOrder(layer.getParam("W"));
                float[] ohwi = new float[oihw.length];
                for (int o = 0; o < filters; o++) {
                    for (int i = 0; i < channels; i++) {
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                ohwi[((o * kh + ky) * kw + kx) * channels + i] = oihw[((o * channels + i) * kh + ky) * kw + kx];
                            }
                        }
                    }
                }
                features.add(new Conv2DLayer(window, filters, activation(index, c.getActivationFn()), ohwi,
                        bias(layer, filters)));
                shape = features.get(features.size() - 1).outputShape();
            } else if (conf instanceof SubsamplingLayer p) {
                Window window = window(index, p.getKernelSize(), p.getStride(), p.getPadding(), p.getDilation(),
                        p.getConvolutionMode());
                FloatFeatureLayer pool = switch (p.getPoolingType()) {
                    case MAX -> new MaxPoolLayer(window);
                    case AVG -> {
                        if (p.isAvgPoolIncludePadInDivisor() && (window.padTop() > 0 || window.padLeft() > 0
                                || window.padding() == Padding.SAME)) {
                            throw refuse(index, "an average pool that counts padding (edgeml's, like TensorFlow's, does not)");
                        }
                        yield new AveragePoolLayer(window);
                    }
                    default -> throw refuse(index, "a " + p.getPoolingType() + " pool");
                };
                features.add(pool);
                shape = pool.outputShape();
            } else if (conf instanceof GlobalPoolingLayer g) {
                if (g.getPoolingType() != PoolingType.AVG) {
                    throw refuse(index, "a global " + g.getPoolingType() + " pool");
                }
                requireSpatial(index);
                features.add(new GlobalAveragePoolLayer(shape));
                shape = new Shape(1, 1, shape.channels());
                flat = true;
            } else if (conf instanceof BatchNormalization b) {
                fold(index, layer, b);
            } else if (conf instanceof ActivationLayer a) {
                Activation activation = activation(index, a.getActivationFn());
                FloatLinear target = lastLinear(index);
                if (target.activation() != Activation.IDENTITY) {
                    throw refuse(index, "a second activation after " + target.activation().cliName());
                }
                if (target.layer() instanceof Conv2DLayer c) {
                    replaceLastFeature(new Conv2DLayer(c.window(), c.filters(), activation, c.weights(), c.bias()));
                } else if (target.layer() instanceof DepthwiseConv2DLayer d) {
                    replaceLastFeature(new DepthwiseConv2DLayer(d.window(), activation, d.weights(), d.bias()));
                } else {
                    DenseLayer d = (DenseLayer) target.layer();
                    replaceLastDense(new DenseLayer(d.inputs(), d.outputs(), activation, d.weights(), d.bias(), d.pieces()));
                }
            } else if (conf instanceof DropoutLayer) {
                // training only
            } else if (conf instanceof MaxoutLayer m) {
                addDense(index, layer, m.units, m.pieces, Activation.IDENTITY);
            } else if (conf instanceof org.deeplearning4j.nn.conf.layers.DenseLayer d) {
                addDense(index, layer, (int) d.getNOut(), 1, activation(index, d.getActivationFn()));
            } else if (conf instanceof org.deeplearning4j.nn.conf.layers.OutputLayer o) {
                // the softmax does not change the argmax: the model gives logits
                addDense(index, layer, (int) o.getNOut(), 1, Activation.IDENTITY);
            } else {
                throw refuse(index, "a " + conf.getClass().getSimpleName());
            }
        }

        /** A dense (or maxout) layer; the first after the convolutions flattens first. */
        private void addDense(int index, org.deeplearning4j.nn.api.Layer layer, int units, int pieces, Activation activation) {
            float[][] w = layer.getParam("W").toFloatMatrix(); // [in][units * pieces]
            int inputs = w.length;
            int rows = units * pieces;
            int[] column = new int[inputs]; // our input e reads DL4J's input column[e]
            for (int e = 0; e < inputs; e++) {
                column[e] = e;
            }
            if (!flat) {
                if (inputs != shape.size()) {
                    throw refuse(index, "a dense layer of " + inputs + " inputs after a " + shape + " activation");
                }
                if (!features.isEmpty()) {
                    features.add(new FlattenLayer(shape));
                }
                // DL4J's rows (the input, or the flattened activation) are channel-major, ours NHWC
                int h = shape.height();
                int wd = shape.width();
                int c = shape.channels();
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < wd; x++) {
                        for (int ch = 0; ch < c; ch++) {
                            column[(y * wd + x) * c + ch] = (ch * h + y) * wd + x;
                        }
                    }
                }
                flat = true;
            }
            float[] weights = new float[inputs * rows];
            for (int r = 0; r < rows; r++) {
                for (int e = 0; e < inputs; e++) {
                    weights[r * inputs + e] = w[column[e]][r];
                }
            }
            dense.add(new DenseLayer(inputs, units, activation, weights, bias(layer, rows), pieces));
            shape = new Shape(1, 1, units);
        }

        /** W' = W * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var + eps) + beta, per output channel. */
        private void fold(int index, org.deeplearning4j.nn.api.Layer layer, BatchNormalization b) {
            if (b.isUseLogStd()) {
                throw refuse(index, "a batch normalization that stores log10(std) (built with useLogStd(true))");
            }
            float[] gamma = cOrder(layer.getParam("gamma"));
            float[] beta = cOrder(layer.getParam("beta"));
            float[] mean = cOrder(layer.getParam("mean"));
            float[] variance = cOrder(layer.getParam("var"));
            int n = gamma.length;
            double[] scale = new double[n];
            for (int c = 0; c < n; c++) {
                scale[c] = gamma[c] / Math.sqrt(variance[c] + b.getEps());
            }
            FloatLinear target = lastLinear(index);
            if (target.activation() != Activation.IDENTITY) {
                throw refuse(index, "a batch normalization after an activation (it must come between a layer and its activation)");
            }
            if (target.layer() instanceof Conv2DLayer c) {
                float[] w = c.weights().clone();
                int per = w.length / c.filters();
                for (int o = 0; o < c.filters(); o++) {
                    for (int i = 0; i < per; i++) {
                        w[o * per + i] = (float) (w[o * per + i] * scale[o]);
                    }
                }
                replaceLastFeature(new Conv2DLayer(c.window(), c.filters(), c.activation(), w, folded(c.bias(), scale, mean, beta)));
            } else if (target.layer() instanceof DepthwiseConv2DLayer d) {
                float[] w = d.weights().clone();
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (w[i] * scale[i % n]);
                }
                replaceLastFeature(new DepthwiseConv2DLayer(d.window(), d.activation(), w, folded(d.bias(), scale, mean, beta)));
            } else {
                DenseLayer d = (DenseLayer) target.layer();
                if (d.isMaxout()) {
                    throw refuse(index, "a batch normalization after a maxout layer");
                }
                float[] w = d.weights().clone();
                for (int o = 0; o < d.outputs(); o++) {
                    for (int i = 0; i < d.inputs(); i++) {
                        w[o * d.inputs() + i] = (float) (w[o * d.inputs() + i] * scale[o]);
                    }
                }
                replaceLastDense(new DenseLayer(d.inputs(), d.outputs(), d.activation(), w, folded(d.bias(), scale, mean, beta)));
            }
        }

        private static float[] folded(float[] bias, double[] scale, float[] mean, float[] beta) {
            float[] b = new float[bias.length];
            for (int c = 0; c < b.length; c++) {
                b[c] = (float) ((bias[c] - mean[c]) * scale[c] + beta[c]);
            }
            return b;
        }

        /** The conv, depthwise conv or dense layer just converted, which a batch norm or activation layer modifies. */
        private FloatLinear lastLinear(int index) {
            if (!dense.isEmpty()) {
                return FloatLinear.of(dense.get(dense.size() - 1));
            }
            if (!features.isEmpty()) {
                FloatFeatureLayer last = features.get(features.size() - 1);
                if (last instanceof Conv2DLayer || last instanceof DepthwiseConv2DLayer) {
                    return FloatLinear.of(last);
                }
            }
            throw refuse(index, "a batch normalization or activation layer that does not follow a conv, depthwise conv or dense layer");
        }

        private void replaceLastFeature(FloatFeatureLayer layer) {
            features.set(features.size() - 1, layer);
        }

        private void replaceLastDense(DenseLayer layer) {
            dense.set(dense.size() - 1, layer);
        }

        private void requireSpatial(int index) {
            if (flat) {
                throw refuse(index, "a layer working on images after the image was flattened");
            }
        }

        private Window window(int index, int[] kernel, int[] stride, int[] padding, int[] dilation, ConvolutionMode mode) {
            requireSpatial(index);
            if (padding != null && (padding[0] != 0 || padding[1] != 0)) {
                throw refuse(index, "explicit padding " + padding[0] + "x" + padding[1] + " (use ConvolutionMode Same or Truncate)");
            }
            if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) {
                throw refuse(index, "dilation " + dilation[0] + "x" + dilation[1]);
            }
            Padding p = switch (mode) {
                case Same -> Padding.SAME;
                case Truncate, Strict -> Padding.VALID;
                default -> throw refuse(index, "convolution mode " + mode);
            };
            return new Window(shape, kernel[0], kernel[1], stride[0], stride[1], p);
        }

        private static float[] bias(org.deeplearning4j.nn.api.Layer layer, int expected) {
            float[] b = cOrder(layer.getParam("b"));
            if (b.length != expected) {
                throw new IllegalStateException("bias holds " + b.length + " values, expected " + expected);
            }
            return b;
        }
    }

    /** The layers a batch norm folds into, seen through one type. */
    private record FloatLinear(Object layer, Activation activation) {
        static FloatLinear of(Object layer) {
            if (layer instanceof Conv2DLayer c) {
                return new FloatLinear(c, c.activation());
            } else if (layer instanceof DepthwiseConv2DLayer d) {
                return new FloatLinear(d, d.activation());
            }
            return new FloatLinear(layer, ((DenseLayer) layer).activation());
        }
    }

    /** edgeml's activation for DL4J's, refusing those edgeml does not have (or has with other constants). */
    static Activation activation(int index, IActivation fn) {
        if (fn == null || fn instanceof ActivationIdentity) {
            return Activation.IDENTITY;
        } else if (fn instanceof ActivationReLU) {
            return Activation.RELU;
        } else if (fn instanceof ActivationLReLU l && l.getAlpha() == Activation.LEAKY_SLOPE) {
            return Activation.LEAKYRELU;
        } else if (fn instanceof ActivationTanH) {
            return Activation.TANH;
        } else if (fn instanceof ActivationSigmoid) {
            return Activation.SIGMOID;
        } else if (fn instanceof ActivationELU e && e.getAlpha() == 1.0) {
            return Activation.ELU;
        } else if (fn instanceof ActivationGELU) {
            return Activation.GELU;
        }
        throw refuse(index, "activation " + fn);
    }

    private static float[] cOrder(INDArray array) {
        return Nd4j.toFlattened('c', array).castTo(DataType.FLOAT).toFloatVector();
    }

    private static IllegalArgumentException refuse(int index, String what) {
        return new IllegalArgumentException("layer " + index + " of the DL4J network is " + what
                + ", which edgeml's float model cannot express");
    }

    /** The network as DL4J's ModelSerializer writes it (without updater state). */
    static byte[] serialize(MultiLayerNetwork network) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
