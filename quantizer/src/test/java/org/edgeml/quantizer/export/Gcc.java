package org.edgeml.quantizer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Compiles and runs C programs with the system's gcc, as strictly as a user's build would. */
final class Gcc {
    static final List<String> FLAGS = List.of("-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2");
    /** Makes any undefined behaviour (signed overflow, bad shifts) abort the program, where gcc supports it. */
    static final List<String> SANITIZER = List.of("-fsanitize=undefined", "-fno-sanitize-recover=all");
    private static Boolean sanitizerWorks;

    private Gcc() {}

    /** Skips the calling test when gcc is missing, or fails it when services are required. */
    static void require() {
        boolean present;
        try {
            present = run(List.of("gcc", "--version"), null).exitCode == 0;
        } catch (IOException e) {
            present = false;
        }
        if (!present && Boolean.getBoolean("edgeml.requireServices")) {
            fail("gcc is not installed but edgeml.requireServices is set: install it (scripts/install-deps --test, or apt-get install gcc libc6-dev)");
        }
        Assumptions.assumeTrue(present, "gcc is not installed");
    }

    /** Compiles {@code sources} (in {@code dir}) into {@code dir/executable}; fails the test with gcc's output. */
    static Path compile(Path dir, String executable, String... sources) throws IOException {
        List<String> command = new ArrayList<>(List.of("gcc"));
        command.addAll(FLAGS);
        if (sanitizerWorks(dir)) {
            command.addAll(SANITIZER);
        }
        command.addAll(List.of("-I", dir.toString(), "-o", dir.resolve(executable).toString()));
        for (String source : sources) {
            command.add(dir.resolve(source).toString());
        }
        Output out = run(command, null);
        assertEquals(0, out.exitCode, () -> "gcc failed:\n" + out.text);
        assertEquals("", out.text.strip(), "gcc printed warnings");
        return dir.resolve(executable);
    }

    private static synchronized boolean sanitizerWorks(Path dir) throws IOException {
        if (sanitizerWorks == null) {
            Path probe = dir.resolve("sanitizer_probe.c");
            Files.writeString(probe, "int main(void) { return 0; }\n");
            List<String> command = new ArrayList<>(List.of("gcc"));
            command.addAll(SANITIZER);
            command.addAll(List.of("-o", dir.resolve("sanitizer_probe").toString(), probe.toString()));
            sanitizerWorks = run(command, null).exitCode == 0
                    && run(List.of(dir.resolve("sanitizer_probe").toString()), null).exitCode == 0;
        }
        return sanitizerWorks;
    }

    /** Runs a compiled program with {@code stdin} (may be null) and returns its output; it must exit with 0. */
    static String execute(Path stdin, String... command) throws IOException {
        Output out = run(List.of(command), stdin);
        assertEquals(0, out.exitCode, () -> String.join(" ", command) + " failed:\n" + out.text);
        return out.text;
    }

    /** Copies a test resource next to the generated sources. */
    static void copyResource(String name, Path dir) throws IOException {
        try (InputStream in = Gcc.class.getResourceAsStream(name)) {
            Files.write(dir.resolve(name), in.readAllBytes());
        }
    }

    record Output(int exitCode, String text) {}

    static Output run(List<String> command, Path stdin) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process process = builder.start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Output(process.exitValue(), text);
    }
}
