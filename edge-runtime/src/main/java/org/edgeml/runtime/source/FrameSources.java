package org.edgeml.runtime.source;

import java.time.Duration;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.config.TriggerMode;

/** Builds the frame source a {@link RunConfig} asks for, with its rate limit and trigger. */
public final class FrameSources {
    private FrameSources() {}

    /**
     * @param decoder decodes dropped image files ({@code dir:})
     * @param loader  reads IDX test sets ({@code idx:})
     * @param trigger the button, required when the config's trigger is {@code button}
     */
    public static FrameSource open(RunConfig config, ImageDecoder decoder, IdxSource.Loader loader, Trigger trigger) {
        FrameSource source = switch (config.source().kind()) {
            case RPICAM -> new RpicamSource(RpicamSource.Settings.of(config.rpicamVid(), config.cameraWidth(),
                    config.cameraHeight(), config.cameraFps(), Duration.ofSeconds(config.cameraTimeoutSeconds())));
            case DIR -> new DirSource(config.source().path(), decoder);
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
