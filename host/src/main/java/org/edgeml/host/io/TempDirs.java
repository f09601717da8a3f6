package org.edgeml.host.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Clean-up of scratch directories. */
public final class TempDirs {
    private TempDirs() {}

    /** Deletes {@code dir} and everything in it, as far as it can: a scratch directory left behind is harmless. */
    public static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
