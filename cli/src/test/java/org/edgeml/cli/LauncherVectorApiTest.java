package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which commands the launcher starts with the Vector API module (and so with the JVM's "Using incubator
 * modules" notice): those that run the int8 engine over many images, never --help or --version.
 */
class LauncherVectorApiTest {
    @Test
    void onlyEngineCommandsGetTheIncubatorModule() throws Exception {
        for (String command : new String[] {"quantize m.zip", "check m.q8 --max-drop 0.5", "export-c m.q8 --out c",
            "demo", "demo --epochs 1", "run --model m.q8 --source idx:d", "bench", "export-onnx m.q8 --out m.onnx"}) {
            assertTrue(needsVectorApi(command), command);
        }
        for (String command : new String[] {"", "--version", "--help", "train --epochs 1", "keygen --out k",
            "sign m.q8 --key k", "watch", "deploy --host pi --model m.q8", "status --host pi", "rollback --host pi",
            "completion", "help quantize", "quantize --help", "check -h", "demo --version", "run --help"}) {
            assertTrue(!needsVectorApi(command), command);
        }
    }

    /** Runs the launcher's own needs_vector_api function on these arguments. */
    private static boolean needsVectorApi(String args) throws Exception {
        String launcher = Files.readString(Path.of("..", "edgeml"));
        int start = launcher.indexOf("needs_vector_api() {");
        int end = launcher.indexOf("\n}\n", start);
        assertTrue(start >= 0 && end > start, "the launcher defines needs_vector_api");
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                launcher.substring(start, end + 3) + "needs_vector_api \"$@\"", "launcher"));
        if (!args.isEmpty()) {
            command.addAll(List.of(args.split(" ")));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals("", output, "no output from the function");
        return p.exitValue() == 0;
    }
}
