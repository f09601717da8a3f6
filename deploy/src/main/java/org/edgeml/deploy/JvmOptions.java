package org.edgeml.deploy;

import java.util.ArrayList;
import java.util.List;
import org.edgeml.core.engine.DenseKernels;

/**
 * The JVM options the runtime starts with on the device: written to the release's {@code jvm.args}, a Java
 * argument file ({@code java @jvm.args}) read by both the systemd unit and the supervisor.
 */
public final class JvmOptions {
    /**
     * Always given. A small heap and the serial collector suit a Pi; exiting on OutOfMemoryError lets the service
     * restart a runtime that would otherwise limp on.
     */
    public static final List<String> DEFAULTS = defaults();

    private static List<String> defaults() {
        List<String> options = new ArrayList<>(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"));
        // The int8 engine's fast kernel (Vector API), its methods compiled early.
        options.addAll(DenseKernels.JVM_OPTIONS);
        return List.copyOf(options);
    }

    private JvmOptions() {}

    public static String render(List<String> extra) {
        List<String> all = new ArrayList<>(DEFAULTS);
        all.addAll(extra);
        StringBuilder out = new StringBuilder("# JVM options of the edgeml runtime, one per line (a java @argument file).\n");
        for (String option : all) {
            if (!option.startsWith("-") || option.contains("\n") || option.contains(" ") || option.contains("#")) {
                throw new org.edgeml.core.EdgemlException("--jvm-option: '" + option
                        + "' is not a single JVM option (it must start with '-', without spaces or '#')");
            }
            out.append(option).append('\n');
        }
        return out.toString();
    }
}
