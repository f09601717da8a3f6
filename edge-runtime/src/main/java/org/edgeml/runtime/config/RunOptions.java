package org.edgeml.runtime.config;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Every option of {@code edgeml run} and {@code java -jar edge-runtime.jar}: the device's {@link RuntimeOptions}
 * and the three a deploy manages itself. Parse it with {@link RunConfigParser}.
 */
@Command(name = "edgeml run", sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = {"edgeml run --model FILE.q8 --source SOURCE [options]",
            "       java -jar edge-runtime.jar --config FILE [options]"},
        description = {"Run an int8 model on a frame source and publish its predictions over MQTT.",
            "Options are also 'key = value' lines in --config FILE, without the dashes; flags win.",
            "Exit codes: 0 done or stopped by SIGTERM, 2 bad options or input, 3 a refused model"
                    + " (signature or golden vectors), 130 interrupted (Ctrl-C)."},
        optionListHeading = "%nOptions:%n")
public final class RunOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Read options from FILE ('key = value' lines).")
    Path config;
    @Option(names = "--model", paramLabel = "FILE", description = "int8 model file (.q8) to run (required).")
    Path model;
    @Mixin
    RuntimeOptions device = new RuntimeOptions();
    @Option(names = "--health-file", paramLabel = "FILE",
            description = "Keep the runtime's state (online, model id, counters) as JSON in FILE.")
    Path healthFile;
    @Option(names = {"--help", "-h"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;
}
