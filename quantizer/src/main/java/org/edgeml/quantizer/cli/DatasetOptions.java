package org.edgeml.quantizer.cli;

import java.nio.file.Path;
import org.edgeml.quantizer.data.DatasetSpec;
import picocli.CommandLine.Option;

/** The {@code --dataset}/{@code --data} options of commands that read a dataset. */
public final class DatasetOptions {
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "fashion-mnist, mnist, idx (with --data) or folder (with --data). Default: the dataset the model was trained on.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory holding the dataset's files (IDX files, or one sub-folder of images per class).")
    Path data;

    /**
     * The dataset to use: the options when given, otherwise the one a model names ({@code modelDataset}
     * and {@code modelSource}, the directory it was read from at training time).
     */
    public DatasetSpec resolve(String modelDataset, String modelSource, long seed) {
        if (dataset != null || data != null) {
            return new DatasetSpec(dataset != null ? dataset : modelDataset, data, seed);
        }
        return DatasetSpec.recorded(modelDataset, modelSource, seed);
    }
}
