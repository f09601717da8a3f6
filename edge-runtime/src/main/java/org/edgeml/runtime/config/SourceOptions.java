package org.edgeml.runtime.config;

import picocli.CommandLine.Option;

/**
 * Where frames come from and how the camera is driven: the options {@code edgeml run} (in {@link RuntimeOptions})
 * and {@code edgeml capture} share. A field is {@code null} when its option is not given.
 */
public final class SourceOptions {
    @Option(names = "--source", paramLabel = "SOURCE",
            description = "rpicam | dir:PATH | idx:PATH: the camera, new images dropped into a folder, or a dataset's"
                    + " test images replayed (required for run and a local capture; deploy's default is rpicam, paths on the device).")
    String source;
    @Option(names = "--camera-width", paramLabel = "W", description = "rpicam frame width (default 640).")
    Integer cameraWidth;
    @Option(names = "--camera-height", paramLabel = "H", description = "rpicam frame height (default 480).")
    Integer cameraHeight;
    @Option(names = "--camera-fps", paramLabel = "F", description = "rpicam frame rate (default 10).")
    Integer cameraFps;
    @Option(names = "--rpicam-vid", paramLabel = "PATH", description = "rpicam-vid program (default rpicam-vid on PATH).")
    String rpicamVid;
    @Option(names = "--camera-timeout", paramLabel = "SECONDS",
            description = "Restart the camera after this long without a frame (default 5).")
    Integer cameraTimeout;
    @Option(names = "--invert", arity = "0..1", paramLabel = "true|false",
            description = "Invert frames first: the scene shows dark objects on a light ground, the model learnt light"
                    + " on dark (as Fashion-MNIST); not for idx: replays.")
    Boolean invert;

    /** The first of these options that was given, as {@code --flag}; empty when none was. */
    public java.util.Optional<String> firstGiven() {
        return new picocli.CommandLine(this).getCommandSpec().options().stream().filter(o -> o.getValue() != null)
                .map(picocli.CommandLine.Model.OptionSpec::longestName).findFirst();
    }

    /** The given {@code --source}, or {@code null}. */
    public String source() {
        return source;
    }

    /** {@code --invert} as given, {@code false} when not. */
    public boolean invert() {
        return invert != null && invert;
    }
}
