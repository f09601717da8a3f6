package org.edgeml.runtime.source;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;

/**
 * Replays a dataset's images as frames ({@code idx:PATH}), each carrying its true label so the runtime can
 * report on-device accuracy; {@link #next()} returns {@code null} after the last image.
 */
public final class IdxSource implements FrameSource {

    /** Reads an IDX image file and its label file (the runtime passes {@code IdxReader::read}). */
    @FunctionalInterface
    public interface Loader {
        LabeledImages load(Path images, Path labels);
    }

    /** The image and label files of a test set. */
    public record TestSet(Path images, Path labels) {}

    private final LabeledImages images;
    private final String name;
    private int next;
    private volatile boolean closed;

    public IdxSource(LabeledImages images, String name) {
        this.images = images;
        this.name = name;
    }

    /** Opens {@code idx:PATH}: see {@link #locate(Path)}. */
    public static IdxSource open(Path path, Loader loader) {
        TestSet files = locate(path);
        return new IdxSource(loader.load(files.images(), files.labels()), "idx:" + path);
    }

    /**
     * Finds the test set's files: a folder holding {@code t10k-images-idx3-ubyte[.gz]} and
     * {@code t10k-labels-idx1-ubyte[.gz]}, or an image file whose label file sits next to it under the
     * same name with {@code labels-idx1} for {@code images-idx3}.
     */
    public static TestSet locate(Path path) {
        if (Files.isDirectory(path)) {
            return new TestSet(either(path, "t10k-images-idx3-ubyte"), either(path, "t10k-labels-idx1-ubyte"));
        }
        String name = path.getFileName().toString();
        if (!name.contains("images-idx3")) {
            throw new EdgemlException("source: " + path + " is not an IDX image file (…images-idx3-ubyte[.gz]); "
                    + "give the file or its folder");
        }
        Path labels = path.resolveSibling(name.replace("images-idx3", "labels-idx1"));
        if (!Files.isRegularFile(labels)) {
            throw new EdgemlException("source: no label file " + labels + " next to " + path + "; put it there");
        }
        return new TestSet(path, labels);
    }

    private static Path either(Path dir, String base) {
        for (String name : new String[] {base, base + ".gz"}) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new EdgemlException("source: " + dir + " holds no " + base + "[.gz]; give the folder of the test set");
    }

    @Override
    public Frame next() {
        if (closed || next >= images.count()) {
            return null;
        }
        int i = next++;
        return new Frame(images.pixels(), i * images.imageSize(), images.cols(), images.rows(), images.cols(), i,
                "idx#" + i, images.labels()[i], System.nanoTime());
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void close() {
        closed = true;
    }
}
