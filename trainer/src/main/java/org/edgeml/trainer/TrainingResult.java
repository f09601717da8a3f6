package org.edgeml.trainer;

import java.util.List;
import org.edgeml.quantizer.data.Dataset;
import org.edgeml.quantizer.floatmodel.FloatModel;

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

    public int[][] confusion() {
        return test.confusion(dataset.test().labels(), dataset.classes());
    }
}
