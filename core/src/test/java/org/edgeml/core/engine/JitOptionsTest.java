package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher passes the engine's early-compilation options exactly as the service and the benchmarks do. */
class JitOptionsTest {

    @Test
    void theLauncherPassesTheEnginesJitOptions() throws Exception {
        String launcher = Files.readString(Path.of("..", "edgeml"));
        for (String option : DenseKernels.JIT_OPTIONS) {
            assertTrue(launcher.contains(" " + option + " ") || launcher.contains("'" + option + "'"),
                    "./edgeml does not pass " + option);
        }
    }

    @Test
    void theOptionsNameThisPackage() {
        assertTrue(DenseKernels.JIT_OPTIONS.get(1).contains(DenseKernels.class.getPackageName() + ".*::*"),
                DenseKernels.JIT_OPTIONS.toString());
    }
}
