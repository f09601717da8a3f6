package org.edgeml.host.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds the four IDX files of a dataset in a directory, gzipped ({@code .gz}) or plain. */
public record IdxFiles(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {

    /** The files in {@code dir}, or empty when any of the four is missing. */
    public static Optional<IdxFiles> in(Path dir) {
        List<Path> found = new ArrayList<>();
        for (String base : KnownDataset.FILES) {
            Path file = find(dir, base);
            if (file == null) {
                return Optional.empty();
            }
            found.add(file);
        }
        return Optional.of(new IdxFiles(found.get(0), found.get(1), found.get(2), found.get(3)));
    }

    /** Names the files missing from {@code dir}, for error messages. */
    public static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String base : KnownDataset.FILES) {
            if (find(dir, base) == null) {
                missing.add(base + "[.gz]");
            }
        }
        return missing;
    }

    private static Path find(Path dir, String base) {
        for (String name : List.of(base + ".gz", base)) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        // Some archives name the files with a dot before "idx" (t10k-images.idx3-ubyte).
        Path dotted = dir.resolve(base.replace("-idx", ".idx"));
        return Files.isRegularFile(dotted) ? dotted : null;
    }
}
