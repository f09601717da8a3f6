package org.edgeml.trainer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Activation;

/**
 * How to train: the hidden layer sizes and their activation, regularization, optimizer and schedule.
 * Invalid values are refused with the flag that sets them, since recipes come from the command line.
 *
 * @param dropout            probability of dropping a hidden unit's output during training (0 = off)
 * @param validationFraction share of the training images held out for validation
 * @param augmentation       how training images are changed each epoch ({@link Augmentation#NONE}: not at all)
 * @param layers             the {@code --layers} spec; empty for a dense network of {@code hidden} layers
 */
public record TrainingRecipe(List<Integer> hidden, Activation activation, double dropout, double l2,
                             Optimizer optimizer, double learningRate, int epochs, int batchSize, long seed,
                             double validationFraction, double lrDecay, Augmentation augmentation,
                             List<LayerSpec> layers) {

    public static final List<Integer> DEFAULT_HIDDEN = List.of(128);
    public static final int DEFAULT_EPOCHS = 10;
    public static final int DEFAULT_BATCH = 128;
    public static final double DEFAULT_VALIDATION = 0.1;
    public static final long DEFAULT_SEED = 42;
    /** The learning rate falls exponentially to this fraction of its start over the run. */
    public static final double DEFAULT_LR_DECAY = 0.1;

    public TrainingRecipe {
        hidden = List.copyOf(hidden);
        layers = List.copyOf(layers);
        Objects.requireNonNull(augmentation, "augmentation");
        if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1 || h > 65_536)) {
            throw new EdgemlException("--hidden needs one or more layer sizes between 1 and 65536, got " + hidden);
        }
        if (activation == null || activation == Activation.IDENTITY) {
            throw new EdgemlException("--activation must be one of relu, leakyrelu, tanh, sigmoid, elu, gelu");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new EdgemlException("--dropout is the probability of dropping a unit: use 0 (off) up to below 1, got " + dropout);
        }
        if (!layers.isEmpty() && dropout > 0) {
            throw new EdgemlException("--dropout is for --hidden layers: with --layers or --arch cnn put dropout:P into the layer spec");
        }
        if (!(l2 >= 0 && l2 < 1)) {
            throw new EdgemlException("--l2 must be at least 0 and below 1, got " + l2);
        }
        if (optimizer == null) {
            throw new EdgemlException("--optimizer must be one of adam, sgd, nesterovs");
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new EdgemlException("--lr must be above 0 (and at most 10), got " + learningRate);
        }
        if (epochs < 1 || epochs > 10_000) {
            throw new EdgemlException("--epochs must be between 1 and 10000, got " + epochs);
        }
        if (batchSize < 1 || batchSize > 65_536) {
            throw new EdgemlException("--batch must be between 1 and 65536, got " + batchSize);
        }
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new EdgemlException("--lr-decay is the final learning rate as a fraction of --lr: use above 0 up to 1 (1 keeps it constant), got " + lrDecay);
        }
        if (!(validationFraction >= 0 && validationFraction < 0.9)) {
            throw new EdgemlException("--validation is the share of training images held out: use 0 up to 0.9, got " + validationFraction);
        }
    }

    /** A dense recipe of {@code hidden} layers. */
    public TrainingRecipe(List<Integer> hidden, Activation activation, double dropout, double l2, Optimizer optimizer,
                          double learningRate, int epochs, int batchSize, long seed, double validationFraction,
                          double lrDecay, Augmentation augmentation) {
        this(hidden, activation, dropout, l2, optimizer, learningRate, epochs, batchSize, seed, validationFraction,
                lrDecay, augmentation, List.of());
    }

    /** A recipe without augmentation. */
    public TrainingRecipe(List<Integer> hidden, Activation activation, double dropout, double l2, Optimizer optimizer,
                          double learningRate, int epochs, int batchSize, long seed, double validationFraction,
                          double lrDecay) {
        this(hidden, activation, dropout, l2, optimizer, learningRate, epochs, batchSize, seed, validationFraction,
                lrDecay, Augmentation.NONE);
    }

    /** The default recipe: fast on a small CPU and as accurate as batch 32 (docs/training.md). */
    public static TrainingRecipe defaults() {
        return new TrainingRecipe(DEFAULT_HIDDEN, Activation.RELU, 0, 0, Optimizer.ADAM,
                Optimizer.ADAM.defaultLearningRate, DEFAULT_EPOCHS, DEFAULT_BATCH, DEFAULT_SEED, DEFAULT_VALIDATION,
                DEFAULT_LR_DECAY);
    }

    /** The same recipe trained for {@code n} epochs. */
    public TrainingRecipe withEpochs(int n) {
        return new TrainingRecipe(hidden, activation, dropout, l2, optimizer, learningRate, n, batchSize, seed,
                validationFraction, lrDecay, augmentation, layers);
    }

    /** The same recipe with {@code a} applied to the training images. */
    public TrainingRecipe withAugmentation(Augmentation a) {
        return new TrainingRecipe(hidden, activation, dropout, l2, optimizer, learningRate, epochs, batchSize, seed,
                validationFraction, lrDecay, a, layers);
    }

    /** The same recipe with the layers of a {@code --layers} spec instead of {@code hidden}. */
    public TrainingRecipe withLayers(List<LayerSpec> spec) {
        return new TrainingRecipe(hidden, activation, dropout, l2, optimizer, learningRate, epochs, batchSize, seed,
                validationFraction, lrDecay, augmentation, spec);
    }

    /** True when the layers come from a {@code --layers} spec (or {@code --arch cnn}). */
    public boolean hasLayerSpec() {
        return !layers.isEmpty();
    }

    /**
     * The architecture for inputs and classes, e.g. {@code 784-128-10}, or with a layer spec
     * {@code 784-[conv3x3:32:s1:valid:relu,...]-10}.
     */
    public String architecture(int inputs, int classes) {
        if (hasLayerSpec()) {
            return inputs + "-[" + LayerSpecParser.text(layers) + "]-" + classes;
        }
        return inputs + "-" + hidden.stream().map(String::valueOf).collect(Collectors.joining("-")) + "-" + classes;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (hasLayerSpec()) {
            m.put("layers", LayerSpecParser.text(layers));
        } else {
            m.put("hidden", hidden);
        }
        m.put("activation", activation.cliName());
        m.put("dropout", dropout);
        m.put("l2", l2);
        m.put("optimizer", optimizer.cliName());
        m.put("lr_decay", lrDecay);
        m.put("lr", learningRate);
        m.put("epochs", epochs);
        m.put("batch", batchSize);
        m.put("seed", seed);
        m.put("validation", validationFraction);
        if (augmentation.enabled()) {
            m.put("augment", augmentation.toMap());
        }
        return m;
    }
}
