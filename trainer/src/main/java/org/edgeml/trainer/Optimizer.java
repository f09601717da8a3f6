package org.edgeml.trainer;

import java.util.Locale;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The gradient-descent variants {@code --optimizer} offers, each with its default learning rate. Adam's
 * default (0.002) suits the default batch of 128 (docs/training.md).
 */
public enum Optimizer {
    ADAM(2e-3),
    SGD(0.05),
    NESTEROVS(0.01);

    /** Momentum for {@link #NESTEROVS}. */
    public static final double MOMENTUM = 0.9;

    public final double defaultLearningRate;

    Optimizer(double defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    IUpdater updater(double learningRate) {
        return switch (this) {
            case ADAM -> new Adam(learningRate);
            case SGD -> new Sgd(learningRate);
            case NESTEROVS -> new Nesterovs(learningRate, MOMENTUM);
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
