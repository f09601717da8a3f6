package org.edgeml.host.data;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.IdxReader;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.model.Shape;

/** Loads a dataset from a {@link DatasetSpec}: the one entry point commands use. */
public final class Datasets {
    /** The input size of folder datasets (the models are 28x28, like MNIST). */
    public static final int FOLDER_IMAGE_SIZE = 28;

    private Datasets() {}

    public static Dataset load(DatasetSpec spec, PrintStream log) {
        return load(spec, DatasetLocator.system(), log);
    }

    public static Dataset load(DatasetSpec spec, DatasetLocator locator, PrintStream log) {
        return load(spec, locator, FOLDER_IMAGE_SIZE, FOLDER_IMAGE_SIZE, 1, log);
    }

    /**
     * Loads the dataset; a folder dataset's images become {@code folderHeight x folderWidth x folderChannels}
     * (1 grey, 3 colour). IDX datasets are grey, of the size their files say.
     */
    public static Dataset load(DatasetSpec spec, DatasetLocator locator, int folderHeight, int folderWidth,
                               int folderChannels, PrintStream log) {
        return switch (spec.name()) {
            case DatasetSpec.FOLDER -> FolderDataset.load(spec.dataDir(), folderHeight, folderWidth, folderChannels,
                    spec.seed(), log);
            case DatasetSpec.IDX -> loadIdx(spec.name(), spec.dataDir(), null);
            default -> {
                KnownDataset known = KnownDataset.byId(spec.name()).orElseThrow();
                Path dir = locator.locate(known, spec.dataDir(), log);
                yield loadIdx(known.id, dir, known.labels);
            }
        };
    }

    /**
     * Loads the dataset for a model whose input is {@code input}: a folder dataset's images are resized to it
     * (with the device's preprocessing, see {@link FolderDataset}); an IDX dataset (grey, of the size its files
     * say) of another shape is refused in one line naming {@code model}.
     */
    public static Dataset loadFor(DatasetSpec spec, Shape input, String model, PrintStream log) {
        return loadFor(spec, DatasetLocator.system(), input, model, log);
    }

    public static Dataset loadFor(DatasetSpec spec, DatasetLocator locator, Shape input, String model, PrintStream log) {
        if (input.channels() != 1 && input.channels() != 3) {
            throw new IllegalArgumentException("model inputs have 1 (grey) or 3 (colour) channels, got " + input);
        }
        Dataset dataset = load(spec, locator, input.height(), input.width(), input.channels(), log);
        LabeledImages images = dataset.train();
        if (images.rows() != input.height() || images.cols() != input.width() || images.channels() != input.channels()) {
            throw new EdgemlException(dataset.name() + " images (" + dataset.source() + ") are " + describe(images)
                    + " but " + model + " takes " + describe(input) + ": use a dataset of that shape, or a folder of images"
                    + " (--dataset folder --data DIR), which are resized to the model's input");
        }
        return dataset;
    }

    private static String describe(LabeledImages images) {
        return describe(new Shape(images.rows(), images.cols(), images.channels()));
    }

    private static String describe(Shape shape) {
        return shape + (shape.channels() == 1 ? " (grey)" : " (colour)");
    }

    /**
     * Reads the four IDX files in {@code dir}. Class names come from {@code knownLabels}, else from a
     * {@code labels.txt} beside the files (one name per line), else they are the numbers 0..N-1.
     */
    static Dataset loadIdx(String name, Path dir, List<String> knownLabels) {
        IdxFiles files = IdxFiles.in(dir).orElseThrow(() -> new EdgemlException(dir + ": missing "
                + String.join(", ", IdxFiles.missing(dir)) + " (an IDX dataset is four files: train/t10k images and labels)"));
        LabeledImages train = IdxReader.read(files.trainImages(), files.trainLabels());
        LabeledImages test = IdxReader.read(files.testImages(), files.testLabels());
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new EdgemlException(files.testImages() + ": test images are " + test.rows() + "x" + test.cols()
                    + " but training images are " + train.rows() + "x" + train.cols());
        }
        int classes = Math.max(maxLabel(train), maxLabel(test)) + 1;
        List<String> labels = knownLabels != null ? knownLabels : labelNames(dir, classes);
        checkLabels(files.trainLabels(), train, labels.size());
        checkLabels(files.testLabels(), test, labels.size());
        return new Dataset(name, labels, train, test, dir.toString());
    }

    private static List<String> labelNames(Path dir, int classes) {
        Path file = dir.resolve("labels.txt");
        if (Files.isRegularFile(file)) {
            try {
                List<String> names = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .map(String::strip).filter(s -> !s.isEmpty()).toList();
                if (names.size() < classes) {
                    throw new EdgemlException(file + ": names " + names.size() + " classes but the labels go up to "
                            + (classes - 1) + " (one class name per line)");
                }
                return names;
            } catch (IOException e) {
                throw new EdgemlException(file + ": cannot read (" + e.getMessage() + ")");
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    private static int maxLabel(LabeledImages images) {
        int max = 0;
        for (int l : images.labels()) {
            max = Math.max(max, l);
        }
        return max;
    }

    private static void checkLabels(Path file, LabeledImages images, int classes) {
        for (int i = 0; i < images.count(); i++) {
            if (images.label(i) >= classes) {
                throw new EdgemlException(file + ": label " + images.label(i) + " at index " + i + " is out of range for "
                        + classes + " classes");
            }
        }
    }
}
