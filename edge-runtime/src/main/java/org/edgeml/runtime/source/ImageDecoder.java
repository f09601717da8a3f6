package org.edgeml.runtime.source;

import java.nio.file.Path;
import org.edgeml.core.image.GrayImage;

/**
 * Turns an image file into a gray plane; the runtime plugs in the project's decoder
 * ({@code Preprocessor.decode}), so this package needs no image code of its own.
 */
@FunctionalInterface
public interface ImageDecoder {

    /** Decodes the file; throws (typically {@code EdgemlException}) when it is not a readable image. */
    GrayImage decode(Path file);
}
