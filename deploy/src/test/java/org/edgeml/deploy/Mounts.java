package org.edgeml.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Mounting for the arm64 test, which must never leave anything mounted behind. */
final class Mounts {
    private Mounts() {}

    static void mount(String type, Path mountPoint) throws IOException, InterruptedException {
        run(List.of("mount", "-t", type, type, mountPoint.toString()));
    }

    /** Unmounts everything at or below {@code root}, deepest first; lazily what is still held. */
    static void unmountUnder(Path root) throws IOException, InterruptedException {
        for (Path mountPoint : under(root)) {
            try {
                run(List.of("umount", mountPoint.toString()));
            } catch (IOException busy) {
                run(List.of("umount", "-l", mountPoint.toString()));
            }
        }
    }

    static List<Path> under(Path root) throws IOException {
        try (Stream<String> mounts = Files.lines(Path.of("/proc/mounts"))) {
            return mounts.map(line -> Path.of(line.split(" ")[1]))
                    .filter(p -> p.startsWith(root))
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .toList();
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("failed: " + String.join(" ", command) + ": " + output.strip());
        }
    }
}
