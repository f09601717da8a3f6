package org.edgeml.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.GlobalAveragePoolLayer;
import org.edgeml.host.floatmodel.InputSpec;
import org.edgeml.host.floatmodel.MaxPoolLayer;

/**
 * Seeded random float CNNs (He-initialized weights, biases around 0), layer by layer: the float peers'
 * model for benchmarks and the float ONNX export's tests. Pixels are normalized to [0, 1].
 */
public final class RandomFloatCnn {
    private final Random rnd;
    private final InputSpec input;
    private final List<FloatFeatureLayer> features = new ArrayList<>();
    private final List<DenseLayer> dense = new ArrayList<>();
    private Shape shape;

    public RandomFloatCnn(long seed, int height, int width, int channels) {
        rnd = new Random(seed);
        input = new InputSpec(height, width, channels, false, 1 / 255.0, 0);
        shape = input.shape();
    }

    /** The preset of issue 12 ({@link RandomCnn#PRESET}) on 28x28x1 with 10 classes. */
    public static FloatModel preset(long seed) {
        return new RandomFloatCnn(seed, 28, 28, 1)
                .conv(3, 3, 1, 1, Padding.SAME, 32, Activation.RELU)
                .maxPool(2, 2, Padding.VALID)
                .conv(3, 3, 1, 1, Padding.SAME, 64, Activation.RELU)
                .maxPool(2, 2, Padding.VALID)
                .flatten()
                .dense(128, 1, Activation.RELU)
                .dense(10, 1, Activation.IDENTITY)
                .build();
    }

    public RandomFloatCnn conv(int kh, int kw, int sh, int sw, Padding padding, int filters, Activation activation) {
        Window window = new Window(shape, kh, kw, sh, sw, padding);
        int fanIn = kh * kw * shape.channels();
        return add(new Conv2DLayer(window, filters, activation, he(fanIn * filters, fanIn), small(filters)));
    }

    public RandomFloatCnn depthwise(int kh, int kw, int sh, int sw, Padding padding, Activation activation) {
        Window window = new Window(shape, kh, kw, sh, sw, padding);
        return add(new DepthwiseConv2DLayer(window, activation, he(kh * kw * shape.channels(), kh * kw), small(shape.channels())));
    }

    public RandomFloatCnn maxPool(int size, int stride, Padding padding) {
        return add(new MaxPoolLayer(new Window(shape, size, size, stride, stride, padding)));
    }

    public RandomFloatCnn averagePool(int kh, int kw, int sh, int sw, Padding padding) {
        return add(new AveragePoolLayer(new Window(shape, kh, kw, sh, sw, padding)));
    }

    public RandomFloatCnn globalAveragePool() {
        return add(new GlobalAveragePoolLayer(shape));
    }

    public RandomFloatCnn flatten() {
        return add(new FlattenLayer(shape));
    }

    /** A dense layer, or with {@code pieces > 1} a maxout layer. */
    public RandomFloatCnn dense(int outputs, int pieces, Activation activation) {
        int inputs = shape.size();
        dense.add(new DenseLayer(inputs, outputs, activation, he(inputs * outputs * pieces, inputs), small(outputs * pieces), pieces));
        shape = new Shape(1, 1, outputs);
        return this;
    }

    public FloatModel build() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < shape.size(); i++) {
            labels.add("class" + i);
        }
        return new FloatModel(input, features, dense, labels, Map.of("dataset", "random"));
    }

    private RandomFloatCnn add(FloatFeatureLayer layer) {
        features.add(layer);
        shape = layer.outputShape();
        return this;
    }

    private float[] he(int n, int fanIn) {
        float[] w = new float[n];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) {
            w[i] = (float) (rnd.nextGaussian() * std);
        }
        return w;
    }

    private float[] small(int n) {
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            b[i] = (float) (rnd.nextGaussian() * 0.1);
        }
        return b;
    }
}
