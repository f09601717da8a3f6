package org.edgeml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.edgeml.core.model.Q8ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The README's first command, on the real dataset with a one-epoch run. */
class DemoCommandTest {
    @Test
    void runsTheWholeToolchainAndLeavesEveryArtefact(@TempDir Path dir) {
        assumeDataset();
        MainTest.Run r = MainTest.run("demo", "--dir", dir.toString(), "--epochs", "1", "--replay", "20");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[4/4]") && r.out().contains("received 20 of 20") && r.out().contains("Demo finished."), r.out());
        for (String file : new String[] {"fashion.zip", "fashion.q8", "train-report/index.html", "check-report/index.html"}) {
            assertTrue(Files.isRegularFile(dir.resolve(file)), file);
        }
        assertTrue(Q8ModelFile.read(dir.resolve("fashion.q8")).model().info().int8Accuracy() > 0.8);
    }

    @Test
    void withoutMosquittoTheDemoRunsOnTheEmbeddedBroker(@TempDir Path dir) {
        assumeDataset();
        MainTest.Run r = MainTest.capture(() -> new CommandLine(new DemoCommand(Optional.empty()))
                .execute("--dir", dir.toString(), "--epochs", "1", "--replay", "20"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("broker: embedded broker (Moquette) on port "), r.out());
        assertTrue(r.out().contains("received 20 of 20") && r.out().contains("Demo finished."), r.out());
    }

    private static void assumeDataset() {
        boolean data = Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"));
        if (Boolean.getBoolean("edgeml.requireServices")) {
            assertTrue(data, "dataset-fashion-mnist is not installed: run scripts/install-deps");
        }
        assumeTrue(data, "dataset-fashion-mnist not installed");
    }
}
