package org.edgeml.quantizer.cli;

import java.nio.file.Path;
import org.edgeml.host.data.DatasetSpec;
import picocli.CommandLine.Option;

/** The {@code --dataset}/{@code --data} options of commands that read a dataset. */
public final class DatasetOptions {
    @Option(names = "--dataset", paramLabel = "NAME", completionCandidates = DatasetSpec.Names.class,
            description = "${COMPLETION-CANDIDATES} (idx and folder with --data). Default: the dataset the model was trained on.")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory holding the dataset's files (IDX files, or one sub-folder of images per class).")
    Path data;

    /**
     * The dataset the options name, or null when neither option is given (the command then uses the dataset
     * the model records). Its seed is a placeholder: the jobs use the seed the model was trained with, so a
     * folder dataset is split into the same training and test images as at training time.
     */
    public DatasetSpec override() {
        if (dataset == null && data == null) {
            return null;
        }
        return new DatasetSpec(dataset, data, 0);
    }
}
