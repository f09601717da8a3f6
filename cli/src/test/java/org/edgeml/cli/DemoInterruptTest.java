package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.edgeml.host.mqtt.Mosquitto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on a running demo, as a terminal sends it: SIGINT to the launched JVM. */
class DemoInterruptTest {
    @Test
    void ctrlCStopsTheBrokerDeletesItsFolderSaysSoAndExits130(@TempDir Path dir) throws Exception {
        boolean data = Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"));
        boolean mosquitto = Mosquitto.find().isPresent();
        if (Boolean.getBoolean("edgeml.requireServices")) {
            assertTrue(data && mosquitto, "dataset-fashion-mnist or mosquitto is missing: run scripts/install-deps");
        }
        assumeTrue(data && mosquitto, "dataset-fashion-mnist or mosquitto not installed");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path err = dir.resolve("stderr.txt");
        Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                // at one frame a second the replay outlasts the test by far: the signal always finds it running
                "demo", "--dir", dir.resolve("demo").toString(), "--epochs", "1", "--replay", "10000", "--fps", "1"))
                .redirectError(err.toFile()).start();
        try {
            String line = awaitLineStartingWith(demo, "   broker: mosquitto");
            assertNotNull(line, "the demo ended before starting its broker: " + Files.readString(err));
            assertEquals(1, brokerFolders(tmp), "the broker's temp folder while it runs");

            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start().waitFor());

            assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "the demo did not exit after Ctrl-C");
            assertEquals(130, demo.exitValue(), Files.readString(err));
            List<String> errLines = Files.readAllLines(err);
            assertEquals("edgeml: demo interrupted", errLines.get(errLines.size() - 1), String.join("\n", errLines));
            assertEquals(0, brokerFolders(tmp), "the broker's temp folder is deleted");
        } finally {
            demo.destroyForcibly();
        }
    }

    private static String awaitLineStartingWith(Process p, String prefix) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    private static long brokerFolders(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(f -> f.getFileName().toString().startsWith("edgeml-mosquitto")).count();
        }
    }
}
