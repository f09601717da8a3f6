package org.edgeml.trainer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgeml.host.data.Dataset;
import org.edgeml.host.floatmodel.FloatModel;

/**
 * The outcome of a training run.
 *
 * @param model       the trained network as a float model (what {@code --out} writes)
 * @param dl4jNetwork the DL4J network as ModelSerializer bytes
 * @param history     one entry per epoch
 * @param test        scores on the dataset's test set; predictions are in test-set order
 */
public record TrainingResult(TrainingRecipe recipe, Dataset dataset, FloatModel model, byte[] dl4jNetwork,
                             List<EpochStats> history, Evaluation test, long parameters) {

    public TrainingResult {
        history = List.copyOf(history);
    }

    public EpochStats lastEpoch() {
        return history.get(history.size() - 1);
    }

    public List<Double> epochSeconds() {
        return history.stream().map(EpochStats::seconds).toList();
    }

    /** The run's figures as JSON-ready values: what {@code --json} prints and {@code metrics.json} holds. */
    public Map<String, Object> metrics() {
        EpochStats last = lastEpoch();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset.name());
        m.put("architecture", recipe.architecture(dataset.test().imageSize(), dataset.classes()));
        m.put("params", parameters);
        m.put("test_accuracy", test.accuracy());
        m.put("test_loss", test.loss());
        m.put("val_accuracy", last.validationAccuracy());
        m.put("val_loss", last.validationLoss());
        m.put("train_accuracy", last.trainAccuracy());
        m.put("train_loss", last.trainLoss());
        m.put("epochs", history.size());
        m.put("epoch_seconds", epochSeconds());
        m.put("recipe", recipe.toMap());
        m.put("history", history.stream().map(EpochStats::toMap).toList());
        m.put("confusion", confusion());
        m.put("labels", dataset.labels());
        return m;
    }

    public int[][] confusion() {
        return test.confusion(dataset.test().labels(), dataset.classes());
    }
}
