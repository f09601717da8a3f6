package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Activation;
import org.junit.jupiter.api.Test;

/**
 * Child JVMs: one started without {@code --add-modules jdk.incubator.vector} falls back to the scalar
 * kernel; ones limited to 128- and 256-bit vectors (as on a Raspberry Pi's NEON) still match the
 * reference bit for bit.
 */
class KernelFallbackTest {

    /** Run in the child JVM: prints the kernel a default engine uses, or the one-line error. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("compare")) {
            compareKernels();
            return;
        }
        try {
            System.out.println(new Int8Engine(TestModels.model(1, 4, Activation.RELU, 8, 3)).kernelName());
        } catch (EdgemlException e) {
            System.out.println("error: " + e.getMessage());
        }
    }

    /** Prints the vector width and whether both kernels gave the same logits on random models and inputs. */
    private static void compareKernels() {
        java.util.Random rnd = new java.util.Random(17);
        int differing = 0;
        for (int[] widths : new int[][] {{37, 10}, {5, 3}, {64, 33, 7}}) {
            var model = TestModels.model(widths.length, 9, Activation.RELU, widths);
            Int8Engine scalar = new Int8Engine(model, DenseKernels.SCALAR.factory());
            Int8Engine vector = new Int8Engine(model, DenseKernels.vector().factory());
            byte[] in = new byte[model.inputSize()];
            byte[] a = new byte[model.classes()];
            byte[] b = new byte[model.classes()];
            for (int n = 0; n < 300; n++) {
                rnd.nextBytes(in);
                scalar.infer(in, a);
                vector.infer(in, b);
                differing += java.util.Arrays.equals(a, b) ? 0 : 1;
            }
        }
        System.out.println(VectorDenseKernel.vectorBits() + " bits, " + differing + " differing");
    }

    @Test
    void narrowerVectorsGiveTheSameBytes() throws Exception {
        assertEquals("128 bits, 0 differing", run(List.of("--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=16"), "compare"));
        assertEquals("256 bits, 0 differing", run(List.of("--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=32"), "compare"));
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
        return run(engine == null ? List.of() : List.of("-D" + DenseKernels.PROPERTY + "=" + engine));
    }

    private static String run(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xshare:auto"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelFallbackTest.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
