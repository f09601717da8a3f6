package org.edgeml.quantizer.check;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.IntStream;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.host.data.Dataset;

/**
 * Lines a dataset's classes up with a model's by name, so a test set is never scored against the wrong
 * classes: the same names in another order are renumbered; different names are refused unless the user
 * asks to match them by position. Datasets without class names (IDX without labels.txt: "0", "1", ...)
 * can only be matched by position.
 */
public final class ClassMatching {
    private ClassMatching() {}

    public static Dataset align(Dataset dataset, List<String> modelLabels, String modelName, boolean byPosition,
                                PrintStream log) {
        List<String> names = dataset.labels();
        if (names.equals(modelLabels) || byPosition || unnamed(names)) {
            return dataset;
        }
        if (names.size() == modelLabels.size() && modelLabels.containsAll(names)) {
            log.println("edgeml: the dataset lists the model's classes in another order; matching them by name");
            int[] modelIndex = names.stream().mapToInt(modelLabels::indexOf).toArray();
            return new Dataset(dataset.name(), modelLabels, renumber(dataset.train(), modelIndex),
                    renumber(dataset.test(), modelIndex), dataset.source());
        }
        throw new EdgemlException(dataset.source() + " has the classes " + names + " but " + modelName
                + " was trained on " + modelLabels + ": check the dataset the model was trained on,"
                + " or add --labels-by-position to match classes by their order");
    }

    private static boolean unnamed(List<String> names) {
        return IntStream.range(0, names.size()).allMatch(i -> names.get(i).equals(Integer.toString(i)));
    }

    private static LabeledImages renumber(LabeledImages images, int[] modelIndex) {
        int[] labels = images.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = modelIndex[labels[i]];
        }
        return new LabeledImages(images.rows(), images.cols(), images.channels(), images.pixels(), labels);
    }
}
