package org.edgeml.trainer;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one epoch achieved. {@code trainLoss} is the mean minibatch loss during the epoch (with dropout
 * and the L2 term); {@code trainAccuracy} is measured after the epoch on up to
 * {@value Trainer#TRAIN_ACCURACY_SAMPLE} training images; {@code seconds} is the time spent fitting.
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, double seconds) {

    public String summary(int epochs) {
        return String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.4f  val loss %s acc %s  %.2fs",
                epoch, epochs, trainLoss, trainAccuracy, format(validationLoss), format(validationAccuracy), seconds);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAccuracy);
        m.put("val_loss", validationLoss);
        m.put("val_accuracy", validationAccuracy);
        m.put("seconds", seconds);
        return m;
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }
}
