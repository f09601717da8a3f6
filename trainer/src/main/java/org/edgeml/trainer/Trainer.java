package org.edgeml.trainer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.host.data.Dataset;
import org.edgeml.host.floatmodel.FloatModel;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.floatmodel.InputSpec;
import org.edgeml.host.io.ProgressBar;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a classifier (dense or convolutional) with DL4J: minibatches are row-range views of one shuffled off-heap matrix,
 * each epoch shows a progress bar and ends with a summary line on the progress stream.
 */
public final class Trainer {
    /** Training accuracy per epoch is measured on at most this many (shuffled) training images. */
    public static final int TRAIN_ACCURACY_SAMPLE = 10_000;
    private static final int EVAL_BATCH = 2_000;
    /** Convolutions keep every image's feature maps and im2col buffers in memory: smaller batches keep RSS low. */
    private static final int CNN_EVAL_BATCH = 256;
    /**
     * DL4J's convolution layers leave about one feature map per minibatch outside the workspaces; that
     * native memory is freed only when the Java objects holding it are collected, which a small heap rarely
     * needs. Collecting after every this many images, in training and in evaluation, keeps a CNN run's RSS
     * flat: without it the preset grew by about 11 MB per training minibatch, and evaluating 26,000 images
     * took it to 4.1 GB; collecting every 2,560 images still let evaluation reach 2.09 GB.
     */
    static final int CNN_GC_IMAGES = 1_280;

    private final TrainingRecipe recipe;
    private final PrintStream progress;

    public Trainer(TrainingRecipe recipe, PrintStream progress) {
        this.recipe = recipe;
        this.progress = progress;
    }

    /** Trains on {@code train}, scores each epoch on {@code validation} (may be empty) and finally on the test set. */
    public TrainingResult train(Dataset dataset, LabeledImages train, LabeledImages validation) {
        if (train.count() == 0) {
            throw new IllegalArgumentException("no training images");
        }
        // Periodic System.gc() calls from ND4J's memory manager only cost time with workspaces enabled.
        Nd4j.getMemoryManager().togglePeriodicGc(false);
        int classes = dataset.classes();
        long batchesPerEpoch = (train.count() + recipe.batchSize() - 1) / recipe.batchSize();
        InputSpec input = new InputSpec(train.rows(), train.cols(), train.channels(), false, 1.0 / 255.0, 0.0);
        MultiLayerNetwork network = NetworkFactory.create(recipe, input.shape(), classes, batchesPerEpoch * recipe.epochs());
        // A layer-spec network takes DL4J's channel-major rows; a --hidden one the HWC bytes as they are.
        int channelMajor = recipe.hasLayerSpec() ? input.channels() : 1;
        ImageMatrix trainData = new ImageMatrix(train, classes, channelMajor);
        ImageMatrix validationData = validation.count() > 0 ? new ImageMatrix(validation, classes, channelMajor) : null;

        int evalBatch = recipe.hasLayerSpec() ? CNN_EVAL_BATCH : EVAL_BATCH;
        ImageAugmenter augmenter = recipe.augmentation().enabled() ? new ImageAugmenter(recipe.augmentation()) : null;
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = 1; epoch <= recipe.epochs(); epoch++) {
            if (augmenter != null) {
                // a new random change of every image each epoch; training accuracy is then measured on these
                trainData.load(augmenter.augment(train, augmentationSeed(recipe.seed(), epoch)));
            }
            trainData.shuffle(recipe.seed() * 1_000_003L + epoch);
            long start = System.nanoTime();
            double loss = fitEpoch(network, trainData, epoch);
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation trainScore = evaluate(network, trainData, Math.min(trainData.count(), TRAIN_ACCURACY_SAMPLE), evalBatch);
            Evaluation validationScore = validationData == null ? Evaluation.empty()
                    : evaluate(network, validationData, validationData.count(), evalBatch);
            EpochStats stats = new EpochStats(epoch, loss, trainScore.accuracy(), validationScore.loss(),
                    validationScore.accuracy(), seconds);
            history.add(stats);
            progress.println(stats.summary(recipe.epochs()));
        }
        Evaluation test = dataset.test().count() > 0
                ? evaluate(network, new ImageMatrix(dataset.test(), classes, channelMajor), dataset.test().count(), evalBatch)
                : Evaluation.empty();
        progress.printf(Locale.ROOT, "test accuracy %.4f (loss %.4f) on %d images%n", test.accuracy(), test.loss(),
                dataset.test().count());

        Map<String, Object> metadata = metadata(dataset, train, validation, history, test, network.numParams());
        FloatModel model = recipe.hasLayerSpec()
                ? Dl4jModels.toFloatModel(network, input, dataset.labels(), metadata)
                : Dl4jModels.toFloatModel(network, recipe.activation(), input, dataset.labels(), metadata);
        return new TrainingResult(recipe, dataset, model, Dl4jModels.serialize(network), history, test,
                network.numParams());
    }

    /** The seed of epoch {@code epoch}'s augmented images (also used by the report's samples). */
    public static long augmentationSeed(long seed, int epoch) {
        return seed * 7_919L + epoch;
    }

    private double fitEpoch(MultiLayerNetwork network, ImageMatrix data, int epoch) {
        int n = data.count();
        int batches = (n + recipe.batchSize() - 1) / recipe.batchSize();
        ProgressBar bar = new ProgressBar(progress, String.format(Locale.ROOT, "epoch %d/%d", epoch, recipe.epochs()), batches);
        double lossSum = 0;
        for (int b = 0; b < batches; b++) {
            int from = b * recipe.batchSize();
            int to = Math.min(n, from + recipe.batchSize());
            network.fit(ImageMatrix.rows(data.features, from, to), ImageMatrix.rows(data.labels, from, to));
            if (recipe.hasLayerSpec() && collectEvery(recipe.batchSize(), b)) {
                System.gc();
            }
            lossSum += network.score();
            if ((b & 31) == 31 || b == batches - 1) {
                double rate = to / Math.max(1e-9, bar.elapsedSeconds());
                bar.update(b + 1, String.format(Locale.ROOT, "loss %.4f  %,.0f img/s", lossSum / (b + 1), rate));
            }
        }
        bar.finish();
        return lossSum / batches;
    }

    /** Mean cross-entropy and accuracy over the first {@code count} rows, without dropout. */
    static Evaluation evaluate(MultiLayerNetwork network, ImageMatrix data, int count) {
        return evaluate(network, data, count, EVAL_BATCH);
    }

    /**
     * As {@link #evaluate(MultiLayerNetwork, ImageMatrix, int)}, {@code batch} images at a time; a CNN's
     * batches (of {@value #CNN_EVAL_BATCH}) are followed by a collection every {@value #CNN_GC_IMAGES}
     * images, as in training.
     */
    static Evaluation evaluate(MultiLayerNetwork network, ImageMatrix data, int count, int batch) {
        boolean collect = batch == CNN_EVAL_BATCH;
        int batches = 0;
        int[] predictions = new int[count];
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < count; from += batch) {
            int to = Math.min(count, from + batch);
            INDArray probabilities = network.output(ImageMatrix.rows(data.features, from, to), false);
            if (collect && collectEvery(batch, batches++)) {
                System.gc();
            }
            float[][] p = probabilities.toFloatMatrix();
            for (int i = 0; i < p.length; i++) {
                int label = data.label(from + i);
                int predicted = FloatNetwork.argmax(p[i]);
                predictions[from + i] = predicted;
                correct += predicted == label ? 1 : 0;
                lossSum -= Math.log(Math.max(p[i][label], 1e-7f));
            }
        }
        return new Evaluation(lossSum / count, (double) correct / count, predictions);
    }

    /** True after minibatch {@code index} (from 0) when a collection is due every {@link #CNN_GC_IMAGES} images. */
    private static boolean collectEvery(int batchSize, int index) {
        int every = Math.max(1, CNN_GC_IMAGES / batchSize);
        return index % every == every - 1;
    }

    private Map<String, Object> metadata(Dataset dataset, LabeledImages train, LabeledImages validation,
                                         List<EpochStats> history, Evaluation test, long parameters) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset.name());
        m.put("source", dataset.source());
        m.put("architecture", recipe.architecture(train.imageSize(), dataset.classes()));
        m.put("recipe", recipe.toMap());
        m.put("seed", recipe.seed());
        m.put("train_images", train.count());
        m.put("validation_images", validation.count());
        m.put("test_images", dataset.test().count());
        EpochStats last = history.get(history.size() - 1);
        m.put("train_accuracy", last.trainAccuracy());
        m.put("val_accuracy", last.validationAccuracy());
        m.put("test_accuracy", test.accuracy());
        m.put("test_loss", test.loss());
        m.put("params", parameters);
        m.put("trainer", "DL4J " + java.util.Objects.requireNonNullElse(
                MultiLayerNetwork.class.getPackage().getImplementationVersion(), "1.0.0-M2.1"));
        return m;
    }
}
