package org.edgeml.runtime.source;

import java.nio.file.Path;
import org.edgeml.core.image.RgbImage;

/**
 * Turns an image file into RGB pixels for a colour model; the runtime plugs in {@code ColourPreprocessor.decode}
 * (as {@link ImageDecoder} for grey).
 */
@FunctionalInterface
public interface ColourImageDecoder {

    /** Decodes the file; throws (typically {@code EdgemlException}) when it is not a readable image. */
    RgbImage decode(Path file);
}
