package org.edgeml.core.engine;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.QuantizedDense;

/**
 * Chooses the dense kernel: the Vector API kernel when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} and its preferred vectors are at least 128 bits wide,
 * else the scalar reference. The system property {@value #PROPERTY} overrides the choice:
 * {@code scalar} forces the reference, {@code vector} requires the fast kernel (an error when it is
 * unavailable), {@code auto} (the default) picks as above. Both kernels give the same bytes.
 */
public final class DenseKernels {
    public static final String PROPERTY = "edgeml.engine";
    static final int MIN_VECTOR_BITS = 128;
    private static final String VECTOR_CLASS = "org.edgeml.core.engine.VectorDenseKernel";

    /** A named way to prepare each layer's kernel. */
    public record Choice(String name, Function<QuantizedDense, DenseKernel> factory) {}

    public static final Choice SCALAR = new Choice("scalar", ScalarDenseKernel::new);

    /**
     * The engine's JVM options, the one list the launcher, the device's service and the benchmarks pass: the
     * Vector API module (without it the engine falls back to its scalar kernel), then options that compile this
     * package's methods after a twentieth of the usual calls. Until C2
     * compiles a Vector API method, it runs as Java code that allocates on every operation, and the
     * kernel's short loops (requantization, input widening) are called once per inference: they took
     * over a second of a fresh runtime's first frames (20,000 frames end to end: 5,100-6,800 frames/s
     * without, 7,700-9,200 with). Correctness does not depend on them. The launcher, the device's
     * service and the benchmarks' runtime pass them; a test keeps the launcher in step.
     */
    public static final List<String> JVM_OPTIONS = List.of("--add-modules=jdk.incubator.vector", "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=option,org.edgeml.core.engine.*::*,double,CompileThresholdScaling,0.05");

    private static final Choice VECTOR = probeVector();
    private static final String VECTOR_PROBLEM = VECTOR == null ? vectorProblem() : null;

    private DenseKernels() {}

    /** The kernel {@value #PROPERTY} asks for (default {@code auto}). */
    public static Choice selected() {
        String wanted = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "auto", "" -> {
                return VECTOR != null ? VECTOR : SCALAR;
            }
            case "scalar" -> {
                return SCALAR;
            }
            case "vector" -> {
                return vector();
            }
            default -> throw new EdgemlException("-D" + PROPERTY + "=" + wanted
                    + " is not a kernel: use auto, scalar or vector");
        }
    }

    /** The Vector API kernel, or an {@link EdgemlException} saying why it is unavailable and how to enable it. */
    public static Choice vector() {
        if (VECTOR == null) {
            throw new EdgemlException("-D" + PROPERTY + "=vector: the Vector API kernel is unavailable (" + VECTOR_PROBLEM
                    + "); start java with --add-modules jdk.incubator.vector, or use -D" + PROPERTY + "=scalar");
        }
        return VECTOR;
    }

    /** The width of the Vector API kernel's vectors in bits, or 0 when it cannot run in this JVM. */
    public static int vectorBits() {
        if (VECTOR == null) {
            return 0;
        }
        try {
            return (int) Class.forName(VECTOR_CLASS).getDeclaredMethod("vectorBits").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }

    /** Whether the Vector API kernel can run in this JVM. */
    public static boolean vectorAvailable() {
        return VECTOR != null;
    }

    /**
     * Loads the Vector API kernel by name, so that this class links without the incubator module:
     * initializing it without the module throws a {@link LinkageError}, caught here.
     */
    private static Choice probeVector() {
        try {
            Class<?> kernel = Class.forName(VECTOR_CLASS);
            var bits = kernel.getDeclaredMethod("vectorBits");
            if ((int) bits.invoke(null) < MIN_VECTOR_BITS) {
                return null;
            }
            var constructor = kernel.getDeclaredConstructor(QuantizedDense.class);
            return new Choice("vector", layer -> {
                try {
                    return (DenseKernel) constructor.newInstance(layer);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (LinkageError | ReflectiveOperationException e) {
            return null;
        }
    }

    private static String vectorProblem() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "the module jdk.incubator.vector is not loaded";
        }
        return "this CPU's preferred vectors are narrower than " + MIN_VECTOR_BITS + " bits";
    }
}
