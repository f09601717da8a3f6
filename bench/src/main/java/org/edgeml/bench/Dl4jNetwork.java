package org.edgeml.bench;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.host.floatmodel.AveragePoolLayer;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DepthwiseConv2DLayer;
import org.edgeml.host.floatmodel.FlattenLayer;
import org.edgeml.host.floatmodel.FloatFeatureLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.GlobalAveragePoolLayer;
import org.edgeml.host.floatmodel.MaxPoolLayer;
import org.edgeml.trainer.MaxoutLayer;
import org.edgeml.trainer.NetworkFactory;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J network a {@link FloatModel} came from, rebuilt with the same weights: feature layers
 * (ConvolutionLayer, DepthwiseConvolution2D, SubsamplingLayer, GlobalPoolingLayer; same padding as
 * {@code ConvolutionMode.Same}, which pads as TensorFlow does), dense hidden layers and a softmax output
 * layer, as the trainer builds them (softmax does not change the argmax of the logits the float model
 * ends with). DL4J's convolutions are NCHW: a CNN takes its input flat in CHW order ({@link #chw}), and
 * DL4J flattens in CHW order, so the first dense layer's weights are permuted from edgeml's HWC order.
 * A maxout layer is the trainer's {@link MaxoutLayer} (DL4J has none), followed by an activation layer
 * unless its activation is the identity; a model ending in maxout ends in its logits, without softmax.
 * Not rebuilt ({@link #supports}): a flatten before the last feature layer, and maxout in a CNN.
 */
public final class Dl4jNetwork {
    private Dl4jNetwork() {}

    /** Whether this peer rebuilds the model: a flatten only at the end of the feature layers, and no maxout in a CNN. */
    public static boolean supports(FloatModel model) {
        var features = model.features();
        for (int l = 0; l < features.size() - 1; l++) {
            if (features.get(l) instanceof FlattenLayer) {
                return false;
            }
        }
        return features.isEmpty() || model.layers().stream().noneMatch(org.edgeml.host.floatmodel.DenseLayer::isMaxout);
    }

    public static MultiLayerNetwork of(FloatModel model) {
        if (!supports(model)) {
            throw new IllegalArgumentException("DL4J takes a flatten only after the last feature layer, and this peer no"
                    + " maxout after feature layers: this model cannot be rebuilt in DL4J");
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int f = model.features().size();
        int[] featureIndex = new int[f]; // each feature layer's DL4J layer; a flatten is DL4J's preprocessor, no layer
        int next = 0;
        for (int l = 0; l < f; l++) {
            FloatFeatureLayer layer = model.features().get(l);
            featureIndex[l] = next;
            if (!(layer instanceof FlattenLayer)) {
                list.layer(feature(layer));
                next++;
            }
        }
        int count = model.layers().size();
        int[] index = new int[count]; // the DL4J layer holding each dense layer's parameters
        for (int l = 0; l < count; l++) {
            var d = model.layers().get(l);
            boolean last = l == count - 1;
            if (last && d.activation() != Activation.IDENTITY) {
                throw new IllegalArgumentException("the last layer must give logits (identity), got " + d.activation());
            }
            index[l] = next++;
            if (d.isMaxout()) {
                MaxoutLayer maxout = new MaxoutLayer(d.outputs(), d.pieces());
                maxout.nIn = d.inputs();
                list.layer(maxout);
                if (d.activation() != Activation.IDENTITY) {
                    list.layer(new ActivationLayer.Builder().activation(NetworkFactory.activation(d.activation())).build());
                    next++;
                }
            } else if (!last) {
                list.layer(new DenseLayer.Builder().nIn(d.inputs()).nOut(d.outputs())
                        .activation(NetworkFactory.activation(d.activation())).build());
            } else {
                list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(d.inputs()).nOut(d.outputs())
                        .activation(new ActivationSoftmax()).build());
            }
        }
        if (f > 0) {
            Shape in = model.input().shape();
            list.setInputType(InputType.convolutionalFlat(in.height(), in.width(), in.channels()));
        }
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        for (int l = 0; l < f; l++) {
            FloatFeatureLayer layer = model.features().get(l);
            if (layer instanceof Conv2DLayer conv) {
                Window w = conv.window();
                int c = w.input().channels();
                int k = w.kernelHeight() * w.kernelWidth();
                float[] oihw = new float[conv.weights().length];
                for (int o = 0; o < conv.filters(); o++) {
                    for (int i = 0; i < c; i++) {
                        for (int s = 0; s < k; s++) {
                            oihw[(o * c + i) * k + s] = conv.weights()[(o * k + s) * c + i];
                        }
                    }
                }
                network.setParam(featureIndex[l] + "_W", Nd4j.create(oihw, new long[] {conv.filters(), c, w.kernelHeight(), w.kernelWidth()}, 'c'));
                network.setParam(featureIndex[l] + "_b", Nd4j.create(conv.bias(), new long[] {1, conv.filters()}, 'c'));
            } else if (layer instanceof DepthwiseConv2DLayer dw) {
                // DL4J's depthwise weights are [kh, kw, C, multiplier]: edgeml's [kh][kw][C] with multiplier 1
                Window w = dw.window();
                network.setParam(featureIndex[l] + "_W", Nd4j.create(dw.weights().clone(),
                        new long[] {w.kernelHeight(), w.kernelWidth(), w.input().channels(), 1}, 'c'));
                network.setParam(featureIndex[l] + "_b", Nd4j.create(dw.bias(), new long[] {1, w.input().channels()}, 'c'));
            }
        }
        for (int l = 0; l < count; l++) {
            var d = model.layers().get(l);
            int rows = d.outputs() * d.pieces();
            // DL4J's W is [in, rows]; edgeml's weights are row-major [rows][in] (a maxout unit's pieces in adjacent
            // rows), and after a flatten their inputs are in HWC order where DL4J's are in CHW order.
            Shape flattened = l == 0 && f > 0 && model.features().get(f - 1) instanceof FlattenLayer
                    ? model.features().get(f - 1).inputShape() : null;
            float[][] w = new float[d.inputs()][rows];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d.inputs(); i++) {
                    w[flattened != null ? chwIndex(i, flattened) : i][r] = d.weight(r, i);
                }
            }
            network.getLayer(index[l]).getParam("W").assign(Nd4j.create(w));
            network.getLayer(index[l]).getParam("b").assign(Nd4j.create(d.bias(), new long[] {1, rows}, DataType.FLOAT));
        }
        return network;
    }

    /** A model's flat HWC input in the CHW order DL4J's convolutions take (unchanged for one channel or no CNN). */
    public static float[] chw(FloatModel model, float[] hwc) {
        Shape s = model.input().shape();
        if (model.features().isEmpty() || s.channels() == 1) {
            return hwc;
        }
        float[] out = new float[hwc.length];
        for (int i = 0; i < hwc.length; i++) {
            out[chwIndex(i, s)] = hwc[i];
        }
        return out;
    }

    /** Where HWC index {@code i} of an activation of {@code shape} lies in CHW order. */
    private static int chwIndex(int i, Shape shape) {
        int c = i % shape.channels();
        int pixel = i / shape.channels();
        return c * shape.height() * shape.width() + pixel;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer feature(FloatFeatureLayer layer) {
        if (layer instanceof Conv2DLayer conv) {
            Window w = conv.window();
            return new ConvolutionLayer.Builder(w.kernelHeight(), w.kernelWidth()).stride(w.strideHeight(), w.strideWidth())
                    .convolutionMode(mode(w)).nIn(w.input().channels()).nOut(conv.filters())
                    .activation(NetworkFactory.activation(conv.activation())).build();
        } else if (layer instanceof DepthwiseConv2DLayer dw) {
            Window w = dw.window();
            return new DepthwiseConvolution2D.Builder(w.kernelHeight(), w.kernelWidth()).stride(w.strideHeight(), w.strideWidth())
                    .convolutionMode(mode(w)).nIn(w.input().channels()).nOut(w.input().channels()).depthMultiplier(1)
                    .activation(NetworkFactory.activation(dw.activation())).build();
        } else if (layer instanceof MaxPoolLayer pool) {
            return pool(pool.window(), PoolingType.MAX);
        } else if (layer instanceof AveragePoolLayer pool) {
            return pool(pool.window(), PoolingType.AVG);
        } else if (layer instanceof GlobalAveragePoolLayer) {
            return new GlobalPoolingLayer.Builder(PoolingType.AVG).build();
        }
        throw new IllegalArgumentException("DL4J has no layer for " + layer.kind());
    }

    private static SubsamplingLayer pool(Window w, PoolingType type) {
        return new SubsamplingLayer.Builder(type).kernelSize(w.kernelHeight(), w.kernelWidth())
                .stride(w.strideHeight(), w.strideWidth()).convolutionMode(mode(w)).avgPoolIncludePadInDivisor(false).build();
    }

    private static ConvolutionMode mode(Window w) {
        return w.padding() == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate;
    }
}
