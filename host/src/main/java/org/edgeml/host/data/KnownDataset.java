package org.edgeml.host.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The datasets edgeml knows by name: their class names, their four files with SHA-256 checksums of
 * the gzipped originals, where Debian installs them, and the official mirrors to download from.
 */
public enum KnownDataset {
    FASHION_MNIST("fashion-mnist",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
            Path.of("/usr/share/datasets/fashion-mnist"),
            "dataset-fashion-mnist",
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
    MNIST("mnist",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            Path.of("/usr/share/datasets/mnist"),
            null,
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/"),
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");

    /** The four files of an IDX dataset, in this order: train images, train labels, test images, test labels. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    public final String id;
    public final List<String> labels;
    public final Path debianDir;
    /** The Debian package that installs the files, or null when Debian has none. */
    public final String debianPackage;
    public final List<String> mirrors;
    /** SHA-256 of each gzipped file, in {@link #FILES} order. */
    public final List<String> sha256;

    KnownDataset(String id, List<String> labels, Path debianDir, String debianPackage, List<String> mirrors,
                 String... sha256) {
        this.id = id;
        this.labels = labels;
        this.debianDir = debianDir;
        this.debianPackage = debianPackage;
        this.mirrors = mirrors;
        this.sha256 = List.of(sha256);
    }

    public static Optional<KnownDataset> byId(String id) {
        for (KnownDataset d : values()) {
            if (d.id.equals(id)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
