package org.edgeml.importer;

import java.util.List;

/**
 * What the user tells {@code edgeml import} that the model file may not say.
 *
 * @param labels       the class names (null: the importer names them "0".."N-1")
 * @param dataset      the known dataset the labels came from (recorded so {@code quantize}/{@code check} use it), or null
 * @param input        the input's height x width x channels (null: read from the file)
 * @param preprocessing how raw pixels become the float input the model was trained on, before any
 *                     normalization the graph itself applies
 */
public record ImportOptions(List<String> labels, String dataset, InputDims input, Preprocessing preprocessing) {
    public ImportOptions {
        labels = labels == null ? null : List.copyOf(labels);
        if (preprocessing == null) {
            preprocessing = Preprocessing.DEFAULT;
        }
    }

    public static ImportOptions defaults() {
        return new ImportOptions(null, null, null, Preprocessing.DEFAULT);
    }

    /** An input size given as {@code HxWxC} (C = 1 or 3). */
    public record InputDims(int height, int width, int channels) {
        public InputDims {
            if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
                throw new ImportException("--input " + height + "x" + width + "x" + channels
                        + " is impossible: give HxWxC with positive sides and C = 1 (grey) or 3 (RGB), e.g. 28x28x1");
            }
        }

        public static InputDims parse(String text) {
            String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
            try {
                if (parts.length == 3) {
                    return new InputDims(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                }
                if (parts.length == 2) {
                    return new InputDims(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), 1);
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new ImportException("--input '" + text + "' is not HxWxC: give e.g. 28x28x1 or 32x32x3");
        }

        @Override
        public String toString() {
            return height + "x" + width + "x" + channels;
        }
    }
}
