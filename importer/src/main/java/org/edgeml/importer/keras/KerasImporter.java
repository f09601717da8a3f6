package org.edgeml.importer.keras;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.graph.vertex.impl.PreprocessorVertex;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.preprocessors.TensorFlowCnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.importer.ImportException;
import org.edgeml.importer.ImportOptions;
import org.edgeml.importer.ModelBuilder;
import org.edgeml.importer.ModelBuilder.FlattenOrder;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a Keras Sequential model (.h5, and .keras where DL4J reads it) with Deeplearning4j's own Keras
 * importer ({@code deeplearning4j-modelimport}), then turns DL4J's network into an edgeml float model
 * through {@link ModelBuilder}: Dense, Conv2D, DepthwiseConv2D (multiplier 1), MaxPooling2D,
 * AveragePooling2D, GlobalAveragePooling2D, Flatten, Dropout, BatchNormalization (folded), Activation.
 */
public final class KerasImporter {
    private KerasImporter() {}

    public static final String SUPPORTED = "edgeml imports Dense, Conv2D, DepthwiseConv2D (depth multiplier 1), MaxPooling2D,"
            + " AveragePooling2D, GlobalAveragePooling2D, Flatten, Dropout, BatchNormalization and Activation";

    public static FloatModel read(Path file, ImportOptions options, Map<String, Object> metadata) {
        Map<String, Object> config = modelConfig(file);
        Shape input = inputShape(file, config, options.input());
        List<Step> steps = steps(file, Objects.toString(config.get("class_name"), ""));
        Map<String, Object> facts = new LinkedHashMap<>(metadata);
        facts.put("source", "keras");
        ModelBuilder builder = new ModelBuilder(input, options.preprocessing());
        String last = "input";
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Layer layer = step.layer();
            String name = step.name();
            String kind = layer == null ? step.pre().getClass().getSimpleName() : layer.getClass().getSimpleName();
            InputPreProcessor pre = step.pre();
            if (pre instanceof TensorFlowCnnToFeedForwardPreProcessor) {
                builder.flatten(FlattenOrder.HWC);
            } else if (pre instanceof CnnToFeedForwardPreProcessor c) {
                builder.flatten(c.getFormat() == CNN2DFormat.NHWC ? FlattenOrder.HWC : FlattenOrder.CHW);
            } else if (pre != null) {
                throw ImportException.at(name, kind, "DL4J put a " + pre.getClass().getSimpleName() + " here: " + SUPPORTED);
            }
            if (layer == null) {
                continue;
            }
            boolean lastLayer = i == steps.size() - 1;
            last = name;
            Map<String, INDArray> params = step.params();
            if (layer instanceof DepthwiseConvolution2D d) {
                depthwise(builder, params, d, name, kind);
            } else if (layer instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class) {
                conv(builder, params, c, name, kind);
            } else if (layer instanceof SubsamplingLayer s && s.getClass() == SubsamplingLayer.class) {
                Window w = window(builder.shape(), s.getKernelSize(), s.getStride(), s.getPadding(), s.getDilation(),
                        s.getConvolutionMode(), name, kind);
                if (s.getPoolingType() == PoolingType.MAX) {
                    builder.maxPool(name, kind, w);
                } else if (s.getPoolingType() == PoolingType.AVG) {
                    builder.averagePool(name, kind, w);
                } else {
                    throw ImportException.at(name, kind, s.getPoolingType() + " pooling: edgeml pools by max or average");
                }
            } else if (layer instanceof GlobalPoolingLayer g) {
                if (g.getPoolingType() != PoolingType.AVG) {
                    throw ImportException.at(name, kind, "global " + g.getPoolingType() + " pooling: edgeml has global average pooling");
                }
                builder.globalAveragePool(name, kind);
            } else if (layer instanceof BatchNormalization bn) {
                batchNorm(builder, params, bn, name, kind);
            } else if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
                dense(builder, params, (BaseLayer) layer, name, kind, lastLayer);
            } else if (layer instanceof ActivationLayer a) {
                builder.activation(name, kind, activation(a.getActivationFn(), name, kind, lastLayer));
            } else if (layer instanceof LossLayer l) {
                activation(l.getActivationFn(), name, kind, lastLayer);
            } else if (!(layer instanceof DropoutLayer)) {
                throw ImportException.at(name, kind, "is not supported: " + SUPPORTED);
            }
        }
        return builder.build(last, options.labels(), facts);
    }

    /** One layer of the network (null for a preprocessor alone), the preprocessor DL4J put before it, its parameters. */
    private record Step(String name, Layer layer, InputPreProcessor pre, Map<String, INDArray> params) {}

    /** DL4J's network as a chain: a Sequential model as a MultiLayerNetwork, a functional one as a ComputationGraph. */
    private static List<Step> steps(Path file, String modelClass) {
        List<Step> steps = new ArrayList<>();
        try {
            if (modelClass.equals("Sequential")) {
                MultiLayerNetwork net = KerasModelImport.importKerasSequentialModelAndWeights(file.toString(), false);
                for (int i = 0; i < net.getnLayers(); i++) {
                    Layer layer = net.getLayer(i).conf().getLayer();
                    steps.add(new Step(layerName(layer, i), layer, net.getLayerWiseConfigurations().getInputPreProcess(i),
                            net.getLayer(i).paramTable()));
                }
                return steps;
            }
            ComputationGraph graph = KerasModelImport.importKerasModelAndWeights(file.toString(), false);
            if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
                throw new ImportException(file + ": the model has " + graph.getNumInputArrays() + " inputs and "
                        + graph.getNumOutputArrays() + " outputs: edgeml imports one image input and one output");
            }
            GraphVertex[] vertices = graph.getVertices();
            for (int index : graph.topologicalSortOrder()) {
                GraphVertex v = vertices[index];
                if (v.isInputVertex()) {
                    continue;
                }
                if (v.getInputVertices() == null || v.getInputVertices().length != 1) {
                    throw ImportException.at(v.getVertexName(), v.getClass().getSimpleName(), "takes "
                            + (v.getInputVertices() == null ? 0 : v.getInputVertices().length)
                            + " inputs: edgeml imports a single chain of layers (no branches or merges)");
                }
                if (v instanceof LayerVertex lv) {
                    Layer layer = lv.getLayer().conf().getLayer();
                    steps.add(new Step(v.getVertexName(), layer, lv.getLayerPreProcessor(), lv.getLayer().paramTable()));
                } else if (v instanceof PreprocessorVertex pv) {
                    steps.add(new Step(v.getVertexName(), null, pv.getPreProcessor(), Map.of()));
                } else {
                    throw ImportException.at(v.getVertexName(), v.getClass().getSimpleName(), "is not supported: " + SUPPORTED);
                }
            }
            return steps;
        } catch (ImportException e) {
            throw e;
        } catch (Exception e) {
            throw new ImportException(file + ": DL4J's Keras importer refuses it: " + oneLine(e) + " (" + SUPPORTED + ")", e);
        }
    }

    private static String layerName(Layer layer, int i) {
        return layer.getLayerName() == null ? "layer " + i : layer.getLayerName();
    }

    private static void conv(ModelBuilder builder, Map<String, INDArray> params, ConvolutionLayer c, String name, String kind) {
        INDArray w = params.get("W");
        long[] s = w.shape();
        int filters = (int) s[0];
        int channels = (int) s[1];
        int kh = (int) s[2];
        int kw = (int) s[3];
        Window window = window(builder.shape(), c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation(),
                c.getConvolutionMode(), name, kind);
        if (channels != builder.shape().channels() || kh != c.getKernelSize()[0] || kw != c.getKernelSize()[1]) {
            throw ImportException.at(name, kind, "weights " + java.util.Arrays.toString(s) + " do not match a "
                    + c.getKernelSize()[0] + "x" + c.getKernelSize()[1] + " kernel over " + builder.shape());
        }
        float[] ohwi = new float[filters * kh * kw * channels];
        for (int o = 0; o < filters; o++) {
            for (int ci = 0; ci < channels; ci++) {
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        ohwi[((o * kh + y) * kw + x) * channels + ci] = w.getFloat(o, ci, y, x);
                    }
                }
            }
        }
        builder.conv(name, kind, window, filters, ohwi, bias(params, filters));
        builder.activation(name, kind, activation(c.getActivationFn(), name, kind, false));
    }

    private static void depthwise(ModelBuilder builder, Map<String, INDArray> params, DepthwiseConvolution2D d, String name, String kind) {
        if (d.getDepthMultiplier() != 1) {
            throw ImportException.at(name, kind, "depth multiplier " + d.getDepthMultiplier() + ": edgeml's depthwise conv has multiplier 1");
        }
        INDArray w = params.get("W");
        long[] s = w.shape();
        int kh = (int) s[0];
        int kw = (int) s[1];
        int channels = (int) s[2];
        if (channels != builder.shape().channels()) {
            throw ImportException.at(name, kind, "weights " + java.util.Arrays.toString(s) + " for " + builder.shape());
        }
        Window window = window(builder.shape(), d.getKernelSize(), d.getStride(), d.getPadding(), d.getDilation(),
                d.getConvolutionMode(), name, kind);
        float[] hwc = new float[kh * kw * channels];
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (int c = 0; c < channels; c++) {
                    hwc[(y * kw + x) * channels + c] = w.getFloat(y, x, c, 0);
                }
            }
        }
        builder.depthwise(name, kind, window, hwc, bias(params, channels));
        builder.activation(name, kind, activation(d.getActivationFn(), name, kind, false));
    }

    private static void dense(ModelBuilder builder, Map<String, INDArray> params, BaseLayer layer, String name, String kind,
                              boolean lastLayer) {
        if (!builder.isFlat()) {
            builder.flatten(FlattenOrder.HWC);
        }
        INDArray w = params.get("W");
        int inputs = (int) w.size(0);
        int outputs = (int) w.size(1);
        if (inputs != builder.flatSize()) {
            throw ImportException.at(name, kind, "weights for " + inputs + " inputs, but the layer before gives "
                    + builder.flatSize() + " values");
        }
        float[][] m = w.toFloatMatrix();
        float[] rows = new float[inputs * outputs];
        for (int o = 0; o < outputs; o++) {
            for (int in = 0; in < inputs; in++) {
                rows[o * inputs + in] = m[in][o];
            }
        }
        builder.dense(name, kind, outputs, rows, bias(params, outputs));
        builder.activation(name, kind, activation(layer.getActivationFn(), name, kind, lastLayer));
    }

    private static void batchNorm(ModelBuilder builder, Map<String, INDArray> p, BatchNormalization bn, String name, String kind) {
        int n = (int) (p.containsKey("mean") ? p.get("mean").length() : p.get("gamma").length());
        double[] gamma = values(p.get("gamma"), n, bn.isLockGammaBeta() ? bn.getGamma() : 1);
        double[] beta = values(p.get("beta"), n, bn.isLockGammaBeta() ? bn.getBeta() : 0);
        double[] mean = values(p.get("mean"), n, 0);
        double[] var = new double[n];
        if (p.containsKey("var")) {
            var = values(p.get("var"), n, 1);
        } else if (p.containsKey("log10stdev")) {
            double[] log = values(p.get("log10stdev"), n, 0);
            for (int c = 0; c < n; c++) {
                double std = Math.pow(10, log[c]);
                var[c] = std * std - bn.getEps();
            }
        }
        double[] a = new double[n];
        double[] b = new double[n];
        for (int c = 0; c < n; c++) {
            a[c] = gamma[c] / Math.sqrt(var[c] + bn.getEps());
            b[c] = beta[c] - mean[c] * a[c];
        }
        builder.affine(name, kind, a, b);
    }

    private static double[] values(INDArray a, int n, double fallback) {
        double[] v = new double[n];
        for (int c = 0; c < n; c++) {
            v[c] = a == null ? fallback : a.getDouble(c);
        }
        return v;
    }

    private static float[] bias(Map<String, INDArray> params, int n) {
        float[] b = new float[n];
        INDArray a = params.get("b");
        if (a != null) {
            for (int c = 0; c < n; c++) {
                b[c] = a.getFloat(c);
            }
        }
        return b;
    }

    private static Activation activation(IActivation fn, String name, String kind, boolean lastLayer) {
        if (fn == null || fn instanceof ActivationIdentity) {
            return Activation.IDENTITY;
        }
        if (fn instanceof ActivationSoftmax) {
            if (!lastLayer) {
                throw ImportException.at(name, kind, "softmax inside the network: edgeml drops only a trailing softmax");
            }
            return Activation.IDENTITY;
        }
        if (fn instanceof ActivationReLU) {
            return Activation.RELU;
        }
        if (fn instanceof ActivationTanH) {
            return Activation.TANH;
        }
        if (fn instanceof ActivationSigmoid) {
            return Activation.SIGMOID;
        }
        if (fn instanceof ActivationELU e && e.getAlpha() == 1.0) {
            return Activation.ELU;
        }
        if (fn instanceof ActivationLReLU l && Math.abs(l.getAlpha() - Activation.LEAKY_SLOPE) < 1e-9) {
            return Activation.LEAKYRELU;
        }
        if (fn instanceof ActivationGELU) {
            return Activation.GELU;
        }
        throw ImportException.at(name, kind, "activation " + fn + ": edgeml has relu, leakyrelu (slope 0.01), tanh,"
                + " sigmoid, elu (alpha 1), gelu and a trailing softmax");
    }

    private static Window window(Shape in, int[] kernel, int[] stride, int[] padding, int[] dilation, ConvolutionMode mode,
                                 String name, String kind) {
        if (dilation != null && (dilation[0] != 1 || dilation[1] != 1)) {
            throw ImportException.at(name, kind, "dilation " + dilation[0] + "x" + dilation[1] + ": edgeml supports dilation 1");
        }
        if (padding != null && (padding[0] != 0 || padding[1] != 0)) {
            throw ImportException.at(name, kind, "explicit padding " + padding[0] + "x" + padding[1]
                    + ": edgeml's windows use Keras's 'same' or 'valid' padding");
        }
        Padding p = mode == ConvolutionMode.Same ? Padding.SAME : Padding.VALID;
        return new Window(in, kernel[0], kernel[1], stride[0], stride[1], p);
    }

    private static Map<String, Object> modelConfig(Path file) {
        String config;
        try (Hdf5Archive archive = new Hdf5Archive(file.toString())) {
            config = archive.readAttributeAsJson("model_config");
        } catch (Exception e) {
            String hint = file.toString().endsWith(".keras") ? " (a Keras 3 .keras file is a zip archive, which DL4J's"
                    + " importer does not read)" : "";
            throw new ImportException(file + " is not a Keras HDF5 model with a model_config" + hint + ": save it with"
                    + " model.save('model.h5'), or convert it to ONNX with tf2onnx", e);
        }
        return Json.parseObject(firstJsonObject(config));
    }

    /** The input size from the file's model_config (batch_input_shape, channels last), or --input. */
    private static Shape inputShape(Path file, Map<String, Object> config, ImportOptions.InputDims given) {
        if (given != null) {
            return new Shape(given.height(), given.width(), given.channels());
        }
        List<?> shape = findInputShape(config);
        if (shape == null) {
            throw new ImportException(file + ": the model config has no batch_input_shape: give --input HxWxC");
        }
        if (shape.size() == 4 && shape.get(1) instanceof Number h && shape.get(2) instanceof Number w
                && shape.get(3) instanceof Number c) {
            if (c.intValue() != 1 && c.intValue() != 3) {
                throw new ImportException(file + ": input " + shape + " has " + c + " channels: edgeml's inputs have 1"
                        + " (grey) or 3 (RGB), channels last");
            }
            return new Shape(h.intValue(), w.intValue(), c.intValue());
        }
        if (shape.size() == 3 && shape.get(1) instanceof Number h && shape.get(2) instanceof Number w) {
            return new Shape(h.intValue(), w.intValue(), 1);
        }
        throw new ImportException(file + ": input " + shape + " is not a fixed image size: give --input HxWxC");
    }

    /** DL4J's reader hands back the attribute's whole buffer, which may hold more after the JSON object. */
    static String firstJsonObject(String text) {
        int depth = 0;
        boolean inString = false;
        int start = text.indexOf('{');
        for (int i = Math.max(start, 0); i < text.length(); i++) {
            char ch = text.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                return text.substring(start, i + 1);
            }
        }
        return text;
    }

    private static List<?> findInputShape(Object node) {
        if (node instanceof Map<?, ?> m) {
            for (String key : new String[] {"batch_input_shape", "batch_shape"}) {
                if (m.get(key) instanceof List<?> l) {
                    return l;
                }
            }
            for (Object v : m.values()) {
                List<?> found = findInputShape(v);
                if (found != null) {
                    return found;
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object v : l) {
                List<?> found = findInputShape(v);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
