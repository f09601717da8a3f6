package org.edgeml.cli.capture;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.edgeml.core.data.IdxReader;
import org.edgeml.core.image.Preprocessor;
import org.edgeml.core.json.Json;
import org.edgeml.runtime.command.PngFrames;
import org.edgeml.runtime.config.RunConfig;
import org.edgeml.runtime.config.RuntimeOptions;
import org.edgeml.runtime.config.SourceOptions;
import org.edgeml.runtime.mqtt.Messages;
import org.edgeml.runtime.source.Frame;
import org.edgeml.runtime.source.FrameSource;
import org.edgeml.runtime.source.FrameSources;

/**
 * Frames read here, from the runtime's own sources ({@code --source rpicam|dir:|idx:} with run's camera options),
 * cropped, downscaled and inverted by the runtime's {@link Preprocessor} at the capture's size, as the device's
 * capture command does; one frame per {@code --every} at most.
 */
final class LocalFrames implements CapturedFrames {
    private final FrameSource source;
    private final Preprocessor preprocessor;
    private final CaptureJob.Request request;
    private final boolean invert;
    private int taken;
    private long lastNanos;
    private String endReason = "";

    LocalFrames(SourceOptions options, CaptureJob.Request request) {
        RunConfig config = RuntimeOptions.forSource(options);
        this.source = FrameSources.open(config, Preprocessor::decode, IdxReader::read, null);
        this.invert = config.invert();
        this.preprocessor = new Preprocessor(request.size(), request.size(), invert);
        this.request = request;
    }

    @Override
    public byte[] next() throws InterruptedException {
        while (true) {
            Frame frame = source.next();
            if (frame == null) {
                endReason = "the source " + source.describe() + " ended";
                return null;
            }
            if (taken > 0 && frame.arrivalNanos() - lastNanos < request.everyMs() * 1_000_000L) {
                continue;
            }
            taken++;
            lastNanos = frame.arrivalNanos();
            byte[] pixels = new byte[preprocessor.outputSize()];
            preprocessor.process(frame.plane(), frame.offset(), frame.width(), frame.height(), frame.stride(), pixels);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ts", Messages.iso(Instant.now()));
            m.put("label", request.label());
            m.put("index", taken);
            m.put("count", request.count());
            m.put("size", request.size());
            m.put("invert", invert);
            m.put("source", frame.origin());
            return PngFrames.encode(pixels, request.size(), request.size(), Json.write(m));
        }
    }

    @Override
    public String endReason() {
        return endReason;
    }

    @Override
    public String describe() {
        return source.describe();
    }

    @Override
    public void close() {
        source.close();
    }
}
