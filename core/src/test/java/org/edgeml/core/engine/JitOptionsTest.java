package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher passes the engine's JVM options (Vector API module, early compilation) exactly as the service and the benchmarks do. */
class JitOptionsTest {

    @Test
    void theLauncherPassesTheEnginesJitOptions() throws Exception {
        String launcher = Files.readString(Path.of("..", "edgeml"));
        for (String option : DenseKernels.JVM_OPTIONS) {
            assertTrue(launcher.contains(" " + option + " ") || launcher.contains("'" + option + "'"),
                    "./edgeml does not pass " + option);
        }
    }

    @Test
    void theOptionsLoadTheVectorApi() {
        assertTrue(DenseKernels.JVM_OPTIONS.contains("--add-modules=jdk.incubator.vector"), DenseKernels.JVM_OPTIONS.toString());
    }

    @Test
    void theOptionsNameThisPackage() {
        assertTrue(DenseKernels.JVM_OPTIONS.get(2).contains(DenseKernels.class.getPackageName() + ".*::*"),
                DenseKernels.JVM_OPTIONS.toString());
    }
}
