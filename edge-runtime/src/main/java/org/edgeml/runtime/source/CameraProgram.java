package org.edgeml.runtime.source;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.edgeml.core.EdgemlException;

/**
 * Checks at start that the camera program can be run at all: a missing or non-executable program is a
 * configuration error to report once, not a camera failure to retry with backoff forever.
 */
final class CameraProgram {
    private CameraProgram() {}

    /**
     * @param program a path (anything with a {@code /}) or a name looked up on {@code PATH}, as the OS would
     * @throws EdgemlException (exit 2) when it is not there or not executable
     */
    static void check(String program, String pathVariable) {
        if (program.contains("/")) {
            requireExecutable(path(program), program);
            return;
        }
        for (String dir : (pathVariable == null ? "" : pathVariable).split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : path(dir).resolve(program);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return;
            }
        }
        throw new EdgemlException("rpicam-vid: " + program + " is not on the PATH; install rpicam-apps"
                + " (sudo apt install rpicam-apps) or give --rpicam-vid PATH");
    }

    private static void requireExecutable(Path file, String program) {
        if (!Files.isRegularFile(file)) {
            throw new EdgemlException("rpicam-vid: " + program + " does not exist; install rpicam-apps or give"
                    + " --rpicam-vid PATH of the camera program");
        }
        if (!Files.isExecutable(file)) {
            throw new EdgemlException("rpicam-vid: " + program + " is not executable; chmod +x it or give"
                    + " --rpicam-vid PATH of the camera program");
        }
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new EdgemlException("rpicam-vid: '" + s + "' is not a valid path; give --rpicam-vid PATH", e);
        }
    }
}
