package org.edgeml.importer;

import java.util.Arrays;

/**
 * How a raw pixel {@code p} (0..255, after {@code p -> 255 - p} when {@code invert}) became the model's
 * input in training, outside the graph: {@code x = p * scale + offset}, then per channel
 * {@code (x - mean[c]) / std[c]} when {@code mean}/{@code std} are given (torchvision's {@code Normalize}).
 */
public record Preprocessing(double scale, double offset, boolean invert, double[] mean, double[] std) {
    public static final Preprocessing DEFAULT = new Preprocessing(1.0 / 255.0, 0.0, false, null, null);

    public Preprocessing {
        if (!(scale > 0) || !Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new ImportException("--scale " + scale + " --offset " + offset
                    + " is impossible: the scale must be a positive number and the offset finite (e.g. --scale 0.00392156862745098 for 1/255)");
        }
        if ((mean == null) != (std == null)) {
            throw new ImportException("--mean and --std go together: give both, one value per channel (e.g. --mean 0.5 --std 0.5)");
        }
        if (mean != null) {
            if (mean.length != std.length) {
                throw new ImportException("--mean has " + mean.length + " values and --std " + std.length
                        + ": give one of each per input channel");
            }
            for (double s : std) {
                if (!(s > 0) || !Double.isFinite(s)) {
                    throw new ImportException("--std " + s + " is impossible: each standard deviation must be positive");
                }
            }
            mean = mean.clone();
            std = std.clone();
        }
    }

    /** The per-channel affine map from a raw pixel to the model input, for {@code channels} channels. */
    ChannelAffine affine(int channels) {
        double[] a = new double[channels];
        double[] b = new double[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = scale;
            b[c] = offset;
        }
        ChannelAffine raw = new ChannelAffine(a, b);
        if (mean == null) {
            return raw;
        }
        if (mean.length != 1 && mean.length != channels) {
            throw new ImportException("--mean and --std have " + mean.length + " values but the input has " + channels
                    + " channels: give one value, or one per channel");
        }
        double[] ma = new double[channels];
        double[] mb = new double[channels];
        for (int c = 0; c < channels; c++) {
            double m = mean[mean.length == 1 ? 0 : c];
            double s = std[std.length == 1 ? 0 : c];
            ma[c] = 1 / s;
            mb[c] = -m / s;
        }
        return raw.then(ma, mb);
    }

    @Override
    public String toString() {
        return "scale " + scale + " offset " + offset + (invert ? " inverted" : "")
                + (mean != null ? " mean " + Arrays.toString(mean) + " std " + Arrays.toString(std) : "");
    }
}
