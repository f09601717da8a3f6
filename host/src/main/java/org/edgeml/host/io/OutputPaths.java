package org.edgeml.host.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;

/**
 * Checks where a command will write before it does any work, so a bad {@code --out} or {@code --report}
 * fails at once instead of after a training run, and never replaces the command's own input. Missing
 * parent directories are fine: the writers create them.
 */
public final class OutputPaths {
    private OutputPaths() {}

    /**
     * A file to be written: not a directory, not one of {@code inputs}, and inside a directory that exists
     * (or can be created) and is writable.
     *
     * @param option the flag that named the path, e.g. "--out", for the message
     * @throws EdgemlException (exit 2) naming the problem and the fix
     */
    public static void requireWritableFile(Path file, String option, Path... inputs) {
        if (Files.isDirectory(file)) {
            throw new EdgemlException(option + " " + file + " is a directory: give a file name, e.g. "
                    + file.resolve("FILE"));
        }
        for (Path input : inputs) {
            if (sameFile(file, input)) {
                throw new EdgemlException(option + " " + file + " is the input " + input
                        + ": writing it would destroy it; choose another " + option);
            }
        }
        requireWritableParent(file, option);
    }

    /** A directory to be written into: not an existing file, and creatable and writable. */
    public static void requireWritableDirectory(Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new EdgemlException(option + " " + dir + " is a file: " + option
                    + " needs a directory (it is created if missing)");
        }
        if (Files.isDirectory(dir)) {
            requireWritable(dir, dir, option);
        } else {
            requireWritableParent(dir, option);
        }
    }

    private static void requireWritableParent(Path path, String option) {
        Path ancestor = path.toAbsolutePath().normalize().getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            return;
        }
        if (!Files.isDirectory(ancestor)) {
            throw new EdgemlException(option + " " + path + ": " + ancestor
                    + " is a file, not a directory: choose another " + option);
        }
        requireWritable(path, ancestor, option);
    }

    private static void requireWritable(Path path, Path dir, String option) {
        if (!Files.isWritable(dir)) {
            throw new EdgemlException(option + " " + path + ": cannot write into " + dir
                    + " (permission denied): choose a writable " + option);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
