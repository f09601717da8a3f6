package org.edgeml.runtime.config;

import java.nio.file.Path;
import java.util.Objects;
import org.edgeml.core.EdgemlException;

/**
 * Where frames come from: {@code rpicam} (the camera through {@code rpicam-vid}), {@code dir:PATH} (each new
 * PNG/JPEG dropped into a folder) or {@code idx:PATH} (a dataset's test images, replayed).
 */
public record SourceSpec(Kind kind, Path path) {

    public enum Kind { RPICAM, DIR, IDX }

    public SourceSpec {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.RPICAM) != (path == null)) {
            throw new IllegalArgumentException(kind + " source " + (path == null ? "needs" : "takes no") + " path");
        }
    }

    public static SourceSpec parse(String text) {
        String s = text.strip();
        if (s.equals("rpicam")) {
            return new SourceSpec(Kind.RPICAM, null);
        }
        for (Kind kind : new Kind[] {Kind.DIR, Kind.IDX}) {
            String prefix = kind.name().toLowerCase(java.util.Locale.ROOT) + ":";
            if (s.startsWith(prefix)) {
                String path = s.substring(prefix.length());
                if (path.isBlank()) {
                    throw new EdgemlException("source: '" + text + "' has no path; write " + prefix + "/some/path");
                }
                return new SourceSpec(kind, Path.of(path));
            }
        }
        throw new EdgemlException("source: '" + text + "' is not a source; use rpicam, dir:PATH or idx:PATH");
    }

    @Override
    public String toString() {
        return kind == Kind.RPICAM ? "rpicam" : kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + path;
    }
}
