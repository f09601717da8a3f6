package org.edgeml.host.data;

import java.nio.file.Path;
import java.util.Locale;
import org.edgeml.core.EdgemlException;

/**
 * Which dataset to load: {@code fashion-mnist} (the default), {@code mnist}, {@code idx} (any four IDX
 * files in {@code dataDir}) or {@code folder} (one sub-folder of images per class in {@code dataDir}).
 *
 * @param dataDir where the files are; optional for the named sets, required for {@code idx}/{@code folder}
 * @param seed    seeds the held-out test split of folder datasets
 */
public record DatasetSpec(String name, Path dataDir, long seed) {
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String MNIST = "mnist";
    public static final String IDX = "idx";
    public static final String FOLDER = "folder";

    public DatasetSpec {
        name = name == null ? FASHION_MNIST : name.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case FASHION_MNIST, MNIST -> { }
            case IDX, FOLDER -> {
                if (dataDir == null) {
                    throw new EdgemlException("--dataset " + name + " needs --data DIR (the directory holding the "
                            + (name.equals(IDX) ? "four IDX files" : "class sub-folders") + ")");
                }
            }
            default -> throw new EdgemlException("unknown dataset '" + name
                    + "': use fashion-mnist, mnist, idx (with --data DIR) or folder (with --data DIR)");
        }
    }

    /** The names {@code --dataset} takes, as help and shell completion list them. */
    public static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of(FASHION_MNIST, MNIST, IDX, FOLDER).iterator();
        }
    }

    /**
     * The dataset a model records: its name and the directory it was read from at training time, which
     * only matters for {@code idx} and {@code folder} (the named sets are looked up as usual).
     */
    public static DatasetSpec recorded(String name, String source, long seed) {
        boolean needsDir = IDX.equals(name) || FOLDER.equals(name);
        return new DatasetSpec(name, needsDir && source != null ? Path.of(source) : null, seed);
    }

    /** The same dataset with another seed (the seed a model was trained with decides a folder's test split). */
    public DatasetSpec withSeed(long newSeed) {
        return new DatasetSpec(name, dataDir, newSeed);
    }

    public static DatasetSpec fashionMnist() {
        return new DatasetSpec(FASHION_MNIST, null, 42);
    }
}
