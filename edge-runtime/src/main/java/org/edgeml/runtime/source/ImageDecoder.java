package org.edgeml.runtime.source;

import java.nio.file.Path;

/**
 * Turns an image file into a gray plane; the runtime plugs in the project's decoder
 * ({@code Preprocessor.decode}), so this package needs no image code of its own.
 */
@FunctionalInterface
public interface ImageDecoder {

    /** A decoded image: row-major, one unsigned byte per pixel. */
    record Gray(int width, int height, byte[] pixels) {
        public Gray {
            if (width <= 0 || height <= 0 || (long) width * height != pixels.length) {
                throw new IllegalArgumentException(width + "x" + height + " does not match " + pixels.length + " pixels");
            }
        }
    }

    /** Decodes the file; throws (typically {@code EdgemlException}) when it is not a readable image. */
    Gray decode(Path file);
}
