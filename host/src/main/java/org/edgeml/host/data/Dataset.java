package org.edgeml.host.data;

import java.util.List;
import java.util.Objects;
import org.edgeml.core.data.LabeledImages;

/**
 * A labelled image dataset: training and test images of one size, and the class names.
 *
 * @param name   the dataset's name, e.g. {@code fashion-mnist}
 * @param labels class names, indexed by label
 * @param train  the training images (validation splits are taken from these)
 * @param test   the test images, used only for final scores
 * @param source where the data was read from (a directory), for messages and reports
 */
public record Dataset(String name, List<String> labels, LabeledImages train, LabeledImages test, String source) {
    public Dataset {
        Objects.requireNonNull(name);
        labels = List.copyOf(labels);
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IllegalArgumentException("training images are " + train.rows() + "x" + train.cols()
                    + " but test images are " + test.rows() + "x" + test.cols());
        }
    }

    public int classes() {
        return labels.size();
    }
}
