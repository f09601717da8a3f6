package org.edgeml.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;
import org.edgeml.host.floatmodel.AveragePoolLayer;
import org.edgeml.host.floatmodel.Conv2DLayer;
import org.edgeml.host.floatmodel.DenseLayer;
import org.edgeml.host.floatmodel.DepthwiseConv2DLayer;
import org.edgeml.host.floatmodel.FlattenLayer;
import org.edgeml.host.floatmodel.FloatFeatureLayer;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.GlobalAveragePoolLayer;
import org.edgeml.host.floatmodel.InputSpec;
import org.edgeml.host.floatmodel.MaxPoolLayer;

/**
 * Builds an edgeml {@link FloatModel} from a chain of framework layers, whatever the file format: the
 * readers (ONNX, Keras) translate each node into one call, and this class keeps the shapes, folds what
 * edgeml stores elsewhere and refuses what it cannot express exactly.
 *
 * <ul>
 * <li>Scales and shifts (batch norm, {@code Mul}/{@code Add} by constants) fold into the conv or dense
 * layer right before them, or, before the first layer, into the input normalization.</li>
 * <li>A per-channel input normalization (mean/std per channel) becomes the input spec when it is the same
 * for every channel; otherwise it is folded into the first layer's weights and bias, which is exact for a
 * dense layer and for a conv whose windows never read padding, or whose padding is zero in both spaces.
 * A conv that reads zero padding where the two differ is refused (edgeml's input spec has one scale and
 * offset for all channels).</li>
 * <li>A scale and shift that follows an activation (Keras's {@code Conv2D(activation="relu")} then
 * {@code BatchNormalization}) is carried forward, through max pools (when every scale is positive), average
 * pools and flatten, and folded into the next conv or dense layer's inputs: exact for a dense layer and a
 * conv that reads no padding (or whose shifts are zero); refused otherwise.</li>
 * <li>Flattening a feature map in the framework's channel-major (NCHW) order permutes the next dense
 * layer's weight columns to edgeml's NHWC order.</li>
 * </ul>
 */
public final class ModelBuilder {
    /** The order in which the framework flattens an {@code H x W x C} feature map. */
    public enum FlattenOrder {
        /** channel-major, NCHW (PyTorch, ONNX): value (y, x, c) at {@code c*H*W + y*W + x} */
        CHW,
        /** channels-last, NHWC (Keras, TensorFlow): value (y, x, c) at {@code (y*W + x)*C + c} */
        HWC
    }

    private final Shape input;
    private final boolean invert;
    private ChannelAffine inputAffine;
    private final List<FloatFeatureLayer> features = new ArrayList<>();
    private final List<DenseLayer> dense = new ArrayList<>();
    private Shape shape;
    private boolean flat;
    /** When flat: the framework's index of each value, in edgeml's order. */
    private int[] flatOrder;
    /** The last layer can still take an activation or a folded scale and shift. */
    private boolean lastOpen;
    /** A scale and shift after an activation, per channel (per value once flat), waiting for the next layer. */
    private ChannelAffine pending;

    public ModelBuilder(Shape input, Preprocessing preprocessing) {
        this.input = input;
        this.invert = preprocessing.invert();
        this.inputAffine = preprocessing.affine(input.channels());
        this.shape = input;
    }

    /** The current feature map (H x W x C); valid before the network is flattened. */
    public Shape shape() {
        return shape;
    }

    public boolean isFlat() {
        return flat;
    }

    /** The number of values the current layer gives once flat. */
    public int flatSize() {
        return flat ? flatOrder.length : shape.size();
    }

    /** True until the first layer (conv, pool or dense) is added: scales and shifts go to the input. */
    public boolean atInput() {
        return features.isEmpty() && dense.isEmpty();
    }

    public void conv(String node, String op, Window window, int filters, float[] ohwi, float[] bias) {
        requireFeatureMap(node, op, window);
        float[] b = bias.clone();
        foldPending(node, op, window, ohwi, b, ohwi.length / filters);
        add(new Conv2DLayer(window, filters, Activation.IDENTITY, ohwi, b), true);
    }

    public void depthwise(String node, String op, Window window, float[] weights, float[] bias) {
        requireFeatureMap(node, op, window);
        float[] b = bias.clone();
        if (pending != null) {
            requireNoPaddingShift(node, op, window);
            int channels = shape.channels();
            for (int i = 0; i < weights.length; i++) {
                int c = i % channels;
                b[c] += (float) (weights[i] * pending.shift()[c]);
                weights[i] = (float) (weights[i] * pending.scale()[c]);
            }
            pending = null;
        }
        add(new DepthwiseConv2DLayer(window, Activation.IDENTITY, weights, b), true);
    }

    public void maxPool(String node, String op, Window window) {
        requireFeatureMap(node, op, window);
        if (pending != null) {
            for (double a : pending.scale()) {
                if (!(a > 0)) {
                    throw ImportException.at(node, op, "follows a scale of " + a + " after an activation: edgeml carries a"
                            + " scale and shift through a max pool only when every scale is positive");
                }
            }
        }
        add(new MaxPoolLayer(window), false);
    }

    public void averagePool(String node, String op, Window window) {
        requireFeatureMap(node, op, window);
        add(new AveragePoolLayer(window), false);
    }

    public void globalAveragePool(String node, String op) {
        if (flat) {
            throw ImportException.at(node, op, "global average pooling of flat values: edgeml pools H x W x C feature maps");
        }
        add(new GlobalAveragePoolLayer(shape), false);
    }

    /** Flattens the feature map (a no-op once flat). */
    public void flatten(FlattenOrder order) {
        if (flat) {
            return;
        }
        int h = shape.height();
        int w = shape.width();
        int c = shape.channels();
        flatOrder = new int[shape.size()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    int edgeml = (y * w + x) * c + ch;
                    flatOrder[edgeml] = order == FlattenOrder.CHW ? (ch * h + y) * w + x : edgeml;
                }
            }
        }
        if (!features.isEmpty() && !(features.get(features.size() - 1) instanceof GlobalAveragePoolLayer)) {
            features.add(new FlattenLayer(shape));
        }
        if (pending != null) {
            double[] a = new double[flatOrder.length];
            double[] b = new double[flatOrder.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = pending.scale()[i % c];
                b[i] = pending.shift()[i % c];
            }
            pending = new ChannelAffine(a, b);
        }
        flat = true;
        lastOpen = false;
    }

    /**
     * A dense layer on the flat values: {@code rows} holds {@code outputs} rows of {@link #flatSize()} weights
     * each, the columns in the framework's order.
     */
    public void dense(String node, String op, int outputs, float[] rows, float[] bias) {
        if (!flat) {
            throw ImportException.at(node, op, "a dense layer on an unflattened " + shape
                    + " feature map: edgeml's dense layers take flat values (flatten first)");
        }
        int inputs = flatOrder.length;
        if (rows.length != (long) inputs * outputs || bias.length != outputs) {
            throw ImportException.at(node, op, "weights " + rows.length + " and bias " + bias.length + " do not match "
                    + inputs + " inputs x " + outputs + " outputs");
        }
        float[] weights = new float[rows.length];
        for (int o = 0; o < outputs; o++) {
            for (int i = 0; i < inputs; i++) {
                weights[o * inputs + i] = rows[o * inputs + flatOrder[i]];
            }
        }
        float[] b = bias.clone();
        if (pending != null) {
            foldColumns(weights, b, inputs, inputs, pending.scale(), pending.shift());
            pending = null;
        }
        dense.add(new DenseLayer(inputs, outputs, Activation.IDENTITY, weights, b));
        flatOrder = identity(outputs);
        lastOpen = true;
    }

    /** The activation of the layer just added. */
    public void activation(String node, String op, Activation activation) {
        if (activation == Activation.IDENTITY) {
            return;
        }
        if (atInput()) {
            throw ImportException.at(node, op, activation.cliName() + " applied to the input: edgeml applies activations"
                    + " to the output of a conv or dense layer only");
        }
        if (!lastOpen || pending != null) {
            throw ImportException.at(node, op, activation.cliName() + " after a " + (pending != null ? "scale and shift" : lastKind())
                    + ": edgeml applies one activation right after a conv, depthwise conv or dense layer");
        }
        if (!dense.isEmpty()) {
            DenseLayer l = dense.remove(dense.size() - 1);
            dense.add(new DenseLayer(l.inputs(), l.outputs(), activation, l.weights(), l.bias(), l.pieces()));
        } else {
            FloatFeatureLayer l = features.remove(features.size() - 1);
            features.add(l instanceof Conv2DLayer c
                    ? new Conv2DLayer(c.window(), c.filters(), activation, c.weights(), c.bias())
                    : new DepthwiseConv2DLayer(((DepthwiseConv2DLayer) l).window(), activation,
                            ((DepthwiseConv2DLayer) l).weights(), ((DepthwiseConv2DLayer) l).bias()));
        }
        lastOpen = false;
    }

    /**
     * {@code y[c] = a[c] * x[c] + b[c]} on the current values ({@code a}, {@code b} of length 1 or one per
     * channel): folded into the input normalization before the first layer, else into the layer just added.
     */
    public void affine(String node, String op, double[] a, double[] b) {
        if (atInput()) {
            int channels = flat && input.channels() == 1 ? 1 : input.channels();
            requireLength(node, op, a, b, flat ? 1 : channels, "input channel");
            inputAffine = inputAffine.then(a, b);
            return;
        }
        if (!lastOpen) {
            int channels = flat ? flatOrder.length : shape.channels();
            requireLength(node, op, a, b, channels, flat ? "value" : "channel");
            if (pending == null) {
                double[] one = new double[channels];
                java.util.Arrays.fill(one, 1);
                pending = new ChannelAffine(one, new double[channels]);
            }
            pending = pending.then(a, b);
            return;
        }
        if (!dense.isEmpty()) {
            DenseLayer l = dense.get(dense.size() - 1);
            requireLength(node, op, a, b, l.outputs(), "output");
            scaleRows(l.weights(), l.bias(), l.inputs(), a, b);
        } else if (features.get(features.size() - 1) instanceof Conv2DLayer c) {
            requireLength(node, op, a, b, c.filters(), "filter");
            scaleRows(c.weights(), c.bias(), c.weights().length / c.filters(), a, b);
        } else {
            DepthwiseConv2DLayer d = (DepthwiseConv2DLayer) features.get(features.size() - 1);
            int channels = d.inputShape().channels();
            requireLength(node, op, a, b, channels, "channel");
            float[] w = d.weights();
            for (int i = 0; i < w.length; i++) {
                w[i] *= (float) a[a.length == 1 ? 0 : i % channels];
            }
            scaleRows(new float[0], d.bias(), 0, a, b);
        }
    }

    /**
     * The model: the input normalization folded in (see the class comment), labels "0".."N-1" when
     * {@code labels} is null.
     */
    public FloatModel build(String node, List<String> labels, Map<String, Object> metadata) {
        if (dense.isEmpty() || !flat) {
            throw new ImportException("the network ends in " + (atInput() ? "its input" : "a " + lastKind())
                    + " (at node '" + node + "'): edgeml models end in a dense layer giving one logit per class");
        }
        if (pending != null) {
            throw new ImportException("the network ends in a scale and shift after its last activation (at node '" + node
                    + "'): edgeml folds those into the next conv or dense layer, and there is none");
        }
        int classes = dense.get(dense.size() - 1).outputs();
        List<String> names = labels;
        if (names == null) {
            names = new ArrayList<>();
            for (int i = 0; i < classes; i++) {
                names.add(Integer.toString(i));
            }
        } else if (names.size() != classes) {
            throw new ImportException("--labels gives " + names.size() + " labels but the model has " + classes
                    + " outputs: give one label per output");
        }
        InputSpec spec = foldInput();
        return new FloatModel(spec, features, dense, names, metadata);
    }

    private InputSpec foldInput() {
        double s0 = inputAffine.scale()[0];
        double o0 = inputAffine.shift()[0];
        if (!(s0 > 0)) {
            throw new ImportException("the input normalization multiplies pixels by " + s0
                    + ": edgeml's input scale must be positive (use --invert for dark-on-light images)");
        }
        InputSpec spec = new InputSpec(input.height(), input.width(), input.channels(), invert, s0, o0);
        if (inputAffine.uniform()) {
            return spec;
        }
        int channels = input.channels();
        double[] alpha = new double[channels];
        double[] beta = new double[channels];
        boolean shifts = false;
        for (int c = 0; c < channels; c++) {
            alpha[c] = inputAffine.scale()[c] / s0;
            beta[c] = inputAffine.shift()[c] - alpha[c] * o0;
            shifts |= Math.abs(beta[c]) > 1e-9 * (1 + Math.abs(inputAffine.shift()[c]));
        }
        if (!features.isEmpty()) {
            FloatFeatureLayer first = features.get(0);
            Window window = first instanceof Conv2DLayer c ? c.window()
                    : first instanceof DepthwiseConv2DLayer d ? d.window() : null;
            if (window == null) {
                throw new ImportException("a per-channel input normalization before a " + first.kind()
                        + " cannot be folded: edgeml's input spec has one scale and offset for all channels; fold it into"
                        + " a first conv or dense layer, or normalize all channels alike");
            }
            if (shifts && readsPadding(window)) {
                throw new ImportException("a per-channel input normalization before a zero-padded " + first.kind()
                        + " cannot be folded exactly (the padding would change value): edgeml's input spec has one scale"
                        + " and offset for all channels; use valid padding in the first conv, or normalize all channels alike");
            }
            if (first instanceof Conv2DLayer c) {
                foldColumns(c.weights(), c.bias(), c.weights().length / c.filters(), channels, alpha, beta);
            } else {
                DepthwiseConv2DLayer d = (DepthwiseConv2DLayer) first;
                float[] w = d.weights();
                float[] b = d.bias();
                float[] original = w.clone();
                for (int i = 0; i < w.length; i++) {
                    int c = i % channels;
                    w[i] = (float) (original[i] * alpha[c]);
                    b[c] += (float) (original[i] * beta[c]);
                }
            }
        } else {
            DenseLayer d = dense.get(0);
            foldColumns(d.weights(), d.bias(), d.inputs(), channels, alpha, beta);
        }
        return spec;
    }

    /** Rows of {@code width} weights whose column {@code i} reads channel {@code i % channels}. */
    private static void foldColumns(float[] w, float[] bias, int width, int channels, double[] alpha, double[] beta) {
        for (int row = 0; row < bias.length; row++) {
            double shift = 0;
            for (int i = 0; i < width; i++) {
                int c = i % channels;
                float original = w[row * width + i];
                shift += original * beta[c];
                w[row * width + i] = (float) (original * alpha[c]);
            }
            bias[row] += (float) shift;
        }
    }

    /** Folds the pending scale and shift into the input channels of a conv's OHWI weights. */
    private void foldPending(String node, String op, Window window, float[] ohwi, float[] bias, int filterSize) {
        if (pending == null) {
            return;
        }
        requireNoPaddingShift(node, op, window);
        foldColumns(ohwi, bias, filterSize, shape.channels(), pending.scale(), pending.shift());
        pending = null;
    }

    private void requireNoPaddingShift(String node, String op, Window window) {
        boolean shifts = false;
        for (double b : pending.shift()) {
            shifts |= b != 0;
        }
        if (shifts && readsPadding(window)) {
            throw ImportException.at(node, op, "a scale and shift after an activation (e.g. batch norm after ReLU) before"
                    + " a zero-padded convolution cannot be folded exactly: put the batch norm before the activation,"
                    + " or use valid padding");
        }
    }

    private static boolean readsPadding(Window w) {
        Shape in = w.input();
        return w.padTop() > 0 || w.padLeft() > 0
                || (w.outputHeight() - 1) * w.strideHeight() - w.padTop() + w.kernelHeight() > in.height()
                || (w.outputWidth() - 1) * w.strideWidth() - w.padLeft() + w.kernelWidth() > in.width();
    }

    private static void scaleRows(float[] w, float[] bias, int width, double[] a, double[] b) {
        for (int row = 0; row < bias.length; row++) {
            double ar = a[a.length == 1 ? 0 : row];
            double br = b[b.length == 1 ? 0 : row];
            for (int i = row * width; i < (row + 1) * width; i++) {
                w[i] = (float) (w[i] * ar);
            }
            bias[row] = (float) (bias[row] * ar + br);
        }
    }

    private static void requireLength(String node, String op, double[] a, double[] b, int channels, String what) {
        for (double[] v : new double[][] {a, b}) {
            if (v.length != 1 && v.length != channels) {
                throw ImportException.at(node, op, "a scale or shift of " + v.length + " values where the " + channels + " "
                        + what + "s need 1 or " + channels);
            }
        }
    }

    private void requireFeatureMap(String node, String op, Window window) {
        if (flat) {
            throw ImportException.at(node, op, "a window over flat values: edgeml's convolutions and pools take H x W x C feature maps");
        }
        if (!window.input().equals(shape)) {
            throw new IllegalStateException("window over " + window.input() + " for a " + shape + " feature map");
        }
    }

    private void add(FloatFeatureLayer layer, boolean open) {
        features.add(layer);
        shape = layer.outputShape();
        lastOpen = open;
    }

    private String lastKind() {
        if (!dense.isEmpty()) {
            return flat && !lastOpen && dense.get(dense.size() - 1).activation() != Activation.IDENTITY
                    ? "dense layer with its activation" : "dense layer";
        }
        if (features.isEmpty()) {
            return flat ? "flatten" : "input";
        }
        FloatFeatureLayer l = features.get(features.size() - 1);
        return l.activation() != Activation.IDENTITY ? l.kind() + " with its activation" : flat ? "flatten" : l.kind();
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
