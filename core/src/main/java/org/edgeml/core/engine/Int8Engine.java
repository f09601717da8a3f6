package org.edgeml.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantizedDense;

/**
 * Runs an int8 model. Everything that needs floating point (the input lookup table, the softmax
 * exponentials) is computed once here; {@link #quantizeInput}, {@link #infer}, {@link #classify},
 * {@link #classifyPixels} and {@link #softmax} then use integer arithmetic and preallocated buffers
 * and allocate nothing. {@link #predict} allocates only its result.
 *
 * <p>Not thread-safe: the buffers are shared by all calls. Use one engine per thread.
 */
public final class Int8Engine {
    private final Q8Model model;
    private final byte[] inputTable;
    /** The feature layers' kernels, then the dense layers'. */
    private final LayerKernel[] kernels;
    private final DenseKernel firstDense;
    /** The output buffer of every layer but the last, sized once here. */
    private final byte[][] hidden;
    private final byte[] input;
    private final byte[] logits;
    /** {@code exp(-outputScale * d)} for a logit {@code d} steps below the largest, d = 0..255. */
    private final double[] expTable = new double[256];
    private final double[] probabilities;
    private final int[] order;

    /**
     * An engine on the kernel {@link DenseKernels#selected()} picks: the Vector API kernel when available,
     * else the reference {@link ScalarDenseKernel} (both give the same bytes), for dense layers, and the
     * feature kernels {@link FeatureKernels#forChoice} pairs with it (the Vector API conv2d and max pool).
     */
    public Int8Engine(Q8Model model) {
        this(model, DenseKernels.selected());
    }

    /** An engine on a kernel choice: its dense kernels, and the feature kernels {@link FeatureKernels#forChoice} pairs with them. */
    public Int8Engine(Q8Model model, DenseKernels.Choice choice) {
        this(model, choice.factory(), FeatureKernels.forChoice(choice));
    }

    /**
     * An engine whose dense layers run on the kernels {@code kernelFactory} prepares; feature layers
     * (convolutions, pools, flatten) run on their reference kernels, {@link FeatureKernels#scalar}.
     */
    public Int8Engine(Q8Model model, Function<QuantizedDense, DenseKernel> kernelFactory) {
        this(model, kernelFactory, FeatureKernels::scalar);
    }

    private Int8Engine(Q8Model model, Function<QuantizedDense, DenseKernel> kernelFactory,
                       Function<FeatureLayer, LayerKernel> featureKernels) {
        this.model = model;
        this.inputTable = model.input().lookupTable();
        List<FeatureLayer> features = model.features();
        List<QuantizedDense> layers = model.layers();
        kernels = new LayerKernel[features.size() + layers.size()];
        hidden = new byte[kernels.length - 1][];
        for (int i = 0; i < features.size(); i++) {
            kernels[i] = featureKernels.apply(features.get(i));
            hidden[i] = new byte[features.get(i).outputShape().size()];
        }
        firstDense = kernelFactory.apply(layers.get(0));
        for (int i = 0; i < layers.size(); i++) {
            int k = features.size() + i;
            kernels[k] = i == 0 ? firstDense : kernelFactory.apply(layers.get(i));
            if (k < hidden.length) {
                hidden[k] = new byte[layers.get(i).outputs()];
            }
        }
        input = new byte[model.inputSize()];
        logits = new byte[model.classes()];
        double scale = model.lastLayer().outputScale();
        for (int d = 0; d < expTable.length; d++) {
            expTable[d] = Math.exp(-scale * d);
        }
        probabilities = new double[model.classes()];
        order = new int[model.classes()];
    }

    public Q8Model model() {
        return model;
    }

    /** The name of the kernel the dense layers run on: {@code scalar} or {@code vector}. */
    public String kernelName() {
        return firstDense.name();
    }

    public int inputSize() {
        return input.length;
    }

    public int classes() {
        return logits.length;
    }

    /** Maps raw pixels (0..255, {@link #inputSize()} of them) to the model's int8 input. */
    public void quantizeInput(byte[] rawPixels, byte[] int8Out) {
        requireLength("raw pixels", rawPixels, input.length);
        requireLength("int8 input", int8Out, input.length);
        for (int i = 0; i < rawPixels.length; i++) {
            int8Out[i] = inputTable[rawPixels[i] & 0xFF];
        }
    }

    /** Runs all layers: int8 input in, the last layer's int8 logits out. */
    public void infer(byte[] int8Input, byte[] int8Logits) {
        requireLength("int8 input", int8Input, input.length);
        requireLength("int8 logits", int8Logits, logits.length);
        byte[] in = int8Input;
        for (int i = 0; i < kernels.length; i++) {
            byte[] out = i < hidden.length ? hidden[i] : int8Logits;
            kernels[i].apply(in, out);
            in = out;
        }
    }

    /** The class with the largest logit (the lowest index on ties) for an int8 input. */
    public int classify(byte[] int8Input) {
        infer(int8Input, logits);
        return argmax(logits);
    }

    /** The class for raw pixels (0..255). */
    public int classifyPixels(byte[] rawPixels) {
        quantizeInput(rawPixels, input);
        return classify(input);
    }

    /**
     * The softmax of the dequantized logits, {@code p[i] = exp(s*(q[i] - qmax)) / sum}, from the
     * precomputed exponentials (the zero point cancels out).
     */
    public void softmax(byte[] int8Logits, double[] out) {
        requireLength("int8 logits", int8Logits, logits.length);
        if (out.length != logits.length) {
            throw new IllegalArgumentException("probabilities need " + logits.length + " entries, got " + out.length);
        }
        int max = int8Logits[argmax(int8Logits)];
        double sum = 0;
        for (int i = 0; i < int8Logits.length; i++) {
            out[i] = expTable[max - int8Logits[i]];
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
    }

    /** Classifies raw pixels (0..255) and ranks the {@code topK} most probable classes. */
    public Prediction predict(byte[] rawPixels, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        quantizeInput(rawPixels, input);
        infer(input, logits);
        softmax(logits, probabilities);
        int k = Math.min(topK, logits.length);
        selectTop(k);
        List<String> labels = model.labels();
        List<Prediction.Ranked> top = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            int c = order[j];
            top.add(new Prediction.Ranked(c, labels.get(c), probabilities[c]));
        }
        int best = order[0];
        return new Prediction(best, labels.get(best), probabilities[best], top);
    }

    /** Moves the k most probable classes to the front of {@code order}, most probable first. */
    private void selectTop(int k) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int j = 0; j < k; j++) {
            int best = j;
            for (int i = j + 1; i < order.length; i++) {
                double p = probabilities[order[i]];
                double q = probabilities[order[best]];
                if (p > q || p == q && order[i] < order[best]) {
                    best = i;
                }
            }
            int swap = order[j];
            order[j] = order[best];
            order[best] = swap;
        }
    }

    /** Runs every golden vector; returns the first differing logit of each one that differs. */
    public List<GoldenMismatch> verifyGoldens() {
        List<GoldenMismatch> mismatches = new ArrayList<>();
        byte[] out = new byte[logits.length];
        for (int g = 0; g < model.goldens().size(); g++) {
            byte[] expected = model.goldens().get(g).output();
            infer(model.goldens().get(g).input(), out);
            for (int i = 0; i < out.length; i++) {
                if (out[i] != expected[i]) {
                    mismatches.add(new GoldenMismatch(g, i, expected[i], out[i]));
                    break;
                }
            }
        }
        return mismatches;
    }

    /**
     * Refuses a model whose golden vectors this engine does not reproduce exactly, or that has none.
     *
     * @throws EdgemlException with exit code 3
     */
    public void requireGoldens(String modelName) {
        goldenProblem().ifPresent(problem -> {
            throw new EdgemlException(modelName + ": refused: " + problem, EdgemlException.EXIT_MODEL_REFUSED, null);
        });
    }

    /** Why this engine must not run the model (no golden vectors, or one it does not reproduce); empty when it may. */
    public java.util.Optional<String> goldenProblem() {
        if (model.goldens().isEmpty()) {
            return java.util.Optional.of("the model has no golden vectors to check the engine with; quantize it again");
        }
        List<GoldenMismatch> mismatches = verifyGoldens();
        if (mismatches.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(mismatches.get(0).describe() + " and " + (mismatches.size() - 1) + " more of "
                + model.goldens().size() + "; this engine's arithmetic differs from the quantizer's: use the same edgeml version");
    }

    private static int argmax(byte[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void requireLength(String what, byte[] array, int expected) {
        if (array.length != expected) {
            throw new IllegalArgumentException(what + " hold " + array.length + " values, expected " + expected);
        }
    }
}
