package org.edgeml.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgeml.runtime.EdgemlException;
import org.edgeml.runtime.model.Activation;
import org.junit.jupiter.api.Test;

/** A JVM started without {@code --add-modules jdk.incubator.vector} falls back to the scalar kernel. */
class KernelFallbackTest {

    /** Run in the child JVM: prints the kernel a default engine uses, or the one-line error. */
    public static void main(String[] args) {
        try {
            System.out.println(new Int8Engine(TestModels.model(1, 4, Activation.RELU, 8, 3)).kernelName());
        } catch (EdgemlException e) {
            System.out.println("error: " + e.getMessage());
        }
    }

    @Test
    void withoutTheModuleTheEngineRunsScalar() throws Exception {
        assertEquals("scalar", runWithoutModule(null));
        assertEquals("scalar", runWithoutModule("scalar"));
    }

    @Test
    void requiringTheVectorKernelWithoutTheModuleIsAClearError() throws Exception {
        String out = runWithoutModule("vector");
        assertTrue(out.startsWith("error: -Dedgeml.engine=vector: the Vector API kernel is unavailable"
                + " (the module jdk.incubator.vector is not loaded); start java with --add-modules jdk.incubator.vector"), out);
    }

    private static String runWithoutModule(String engine) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        if (engine != null) {
            command.add("-D" + DenseKernels.PROPERTY + "=" + engine);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelFallbackTest.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
