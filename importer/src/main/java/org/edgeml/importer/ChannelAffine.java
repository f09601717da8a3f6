package org.edgeml.importer;

/** A per-channel scale and shift, {@code y[c] = scale[c] * x[c] + shift[c]}. */
record ChannelAffine(double[] scale, double[] shift) {
    ChannelAffine {
        if (scale.length != shift.length) {
            throw new IllegalArgumentException(scale.length + " scales for " + shift.length + " shifts");
        }
    }

    int channels() {
        return scale.length;
    }

    /** This map followed by {@code y[c] = a[c] * x[c] + b[c]} ({@code a}, {@code b} of length 1 or {@link #channels()}). */
    ChannelAffine then(double[] a, double[] b) {
        int n = channels();
        double[] s = new double[n];
        double[] t = new double[n];
        for (int c = 0; c < n; c++) {
            double ac = a[a.length == 1 ? 0 : c];
            double bc = b[b.length == 1 ? 0 : c];
            s[c] = ac * scale[c];
            t[c] = ac * shift[c] + bc;
        }
        return new ChannelAffine(s, t);
    }

    boolean uniform() {
        for (int c = 1; c < channels(); c++) {
            if (scale[c] != scale[0] || shift[c] != shift[0]) {
                return false;
            }
        }
        return true;
    }
}
