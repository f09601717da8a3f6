package org.edgeml.quantizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.data.LabeledImages;
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

/** Small random CNN float models, built layer by layer with He-like random weights, and random images for them. */
final class CnnModels {
    private final Random random;
    private final InputSpec input;
    private final List<FloatFeatureLayer> features = new ArrayList<>();
    private final List<DenseLayer> layers = new ArrayList<>();
    private Shape shape;
    private int width;

    CnnModels(long seed, int height, int width) {
        this(seed, height, width, 1);
    }

    /** A model of {@code height x width x channels} input (1 grey, 3 colour). */
    CnnModels(long seed, int height, int width, int channels) {
        random = new Random(seed);
        input = new InputSpec(height, width, channels, false, 1.0 / 255, 0);
        shape = input.shape();
    }

    CnnModels conv(int kernel, int filters, int stride, Padding padding, Activation activation) {
        Window w = new Window(shape, kernel, kernel, stride, stride, padding);
        int fanIn = kernel * kernel * shape.channels();
        return add(new Conv2DLayer(w, filters, activation, gaussian(filters * fanIn, fanIn), biases(filters)));
    }

    CnnModels depthwise(int kernel, int stride, Padding padding, Activation activation) {
        Window w = new Window(shape, kernel, kernel, stride, stride, padding);
        return add(new DepthwiseConv2DLayer(w, activation, gaussian(kernel * kernel * shape.channels(), kernel * kernel),
                biases(shape.channels())));
    }

    CnnModels maxPool(int size, int stride, Padding padding) {
        return add(new MaxPoolLayer(new Window(shape, size, size, stride, stride, padding)));
    }

    CnnModels averagePool(int size, int stride, Padding padding) {
        return add(new AveragePoolLayer(new Window(shape, size, size, stride, stride, padding)));
    }

    CnnModels globalAveragePool() {
        return add(new GlobalAveragePoolLayer(shape));
    }

    CnnModels flatten() {
        return add(new FlattenLayer(shape));
    }

    CnnModels dense(int outputs, Activation activation) {
        return maxout(outputs, 1, activation);
    }

    CnnModels maxout(int outputs, int pieces, Activation activation) {
        int inputs = width == 0 ? shape.size() : width;
        layers.add(new DenseLayer(inputs, outputs, activation, gaussian(inputs * outputs * pieces, inputs),
                biases(outputs * pieces), pieces));
        width = outputs;
        return this;
    }

    FloatModel build() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            labels.add("class" + i);
        }
        return new FloatModel(input, features, layers, labels, Map.of("dataset", "idx", "seed", 7L));
    }

    private CnnModels add(FloatFeatureLayer layer) {
        features.add(layer);
        shape = layer.outputShape();
        return this;
    }

    private float[] gaussian(int n, int fanIn) {
        float[] v = new float[n];
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
        return v;
    }

    private float[] biases(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextGaussian() * 0.1);
        }
        return v;
    }

    /** Random images of bright discs on a dark noisy ground, labelled 0 (the labels are not used). */
    static LabeledImages images(int count, int height, int width, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * height * width];
        for (int i = 0; i < count; i++) {
            int cx = random.nextInt(width);
            int cy = random.nextInt(height);
            int r = 1 + random.nextInt(Math.max(1, Math.min(height, width) / 2));
            int brightness = 100 + random.nextInt(156);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r;
                    pixels[(i * height + y) * width + x] = (byte) (inside ? brightness - random.nextInt(40) : random.nextInt(30));
                }
            }
        }
        return new LabeledImages(height, width, pixels, new int[count]);
    }
}
