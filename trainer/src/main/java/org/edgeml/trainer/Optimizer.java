package org.edgeml.trainer;

import java.util.Locale;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

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

    /** The updater with a learning rate that follows {@code schedule} (per iteration). */
    IUpdater updater(ISchedule schedule) {
        return switch (this) {
            case ADAM -> new Adam(schedule);
            case SGD -> new Sgd(schedule);
            case NESTEROVS -> new Nesterovs(schedule, MOMENTUM);
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The names {@code --optimizer} takes, as help and shell completion list them. */
    public static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(values()).map(Optimizer::cliName).iterator();
        }
    }
}
