package org.edgeml.runtime.source;

import java.time.Duration;
import org.edgeml.core.EdgemlException;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.config.SourceSpec;
import org.edgeml.runtime.config.TriggerMode;

/** Builds the frame source a {@link RunConfig} asks for, with its rate limit and trigger. */
public final class FrameSources {
    private FrameSources() {}

    /**
     * Grey frames, for a grey model: see {@link #open(RunConfig, int, ImageDecoder, ColourImageDecoder, IdxSource.Loader, Trigger)}.
     */
    public static FrameSource open(RunConfig config, ImageDecoder decoder, IdxSource.Loader loader, Trigger trigger) {
        return open(config, 1, decoder, null, loader, trigger);
    }

    /**
     * @param channels      the model's input channels: 1 (grey) or 3 (colour); the camera gives I420 frames for
     *                      both, {@code dir:} grey or RGB frames, {@code idx:} grey ones only
     * @param decoder       decodes dropped image files ({@code dir:}) for a grey model
     * @param colourDecoder decodes them for a colour model
     * @param loader        reads IDX test sets ({@code idx:})
     * @param trigger       the button, required when the config's trigger is {@code button}
     * @throws EdgemlException (exit 2) for a colour model on an {@code idx:} source
     */
    public static FrameSource open(RunConfig config, int channels, ImageDecoder decoder, ColourImageDecoder colourDecoder,
                                   IdxSource.Loader loader, Trigger trigger) {
        boolean colour = channels != 1;
        if (colour && config.source().kind() == SourceSpec.Kind.IDX) {
            throw new EdgemlException("source: idx: test sets are grey but the model takes colour (" + channels
                    + "-channel) input; give --source rpicam or dir:FOLDER of colour images, or run a grey model");
        }
        FrameSource source = switch (config.source().kind()) {
            case RPICAM -> new RpicamSource(RpicamSource.Settings.of(config.rpicamVid(), config.cameraWidth(),
                    config.cameraHeight(), config.cameraFps(), Duration.ofSeconds(config.cameraTimeoutSeconds())));
            case DIR -> colour ? DirSource.colour(config.source().path(), colourDecoder)
                    : new DirSource(config.source().path(), decoder);
            case IDX -> IdxSource.open(config.source().path(), loader);
        };
        if (config.fps() > 0) {
            source = new RateLimitedSource(source, config.fps());
        }
        if (config.trigger() == TriggerMode.BUTTON) {
            if (trigger == null) {
                source.close();
                throw new IllegalArgumentException("trigger button needs a Trigger");
            }
            source = new TriggeredSource(source, trigger);
        }
        return source;
    }
}
