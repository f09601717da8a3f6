package org.edgeml.host.data;

import java.util.Random;
import org.edgeml.core.data.LabeledImages;

/**
 * A seeded random split of images into a training part and a held-out part (validation, or the test
 * part of a folder dataset). The same seed gives the same split on every machine.
 */
public record Split(LabeledImages train, LabeledImages validation) {

    public static Split of(LabeledImages all, double heldOutFraction, long seed) {
        if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in [0, 1), got " + heldOutFraction);
        }
        int[] order = shuffled(all.count(), seed);
        int heldOut = (int) Math.round(all.count() * heldOutFraction);
        int[] validation = java.util.Arrays.copyOfRange(order, 0, heldOut);
        int[] train = java.util.Arrays.copyOfRange(order, heldOut, order.length);
        java.util.Arrays.sort(validation);
        java.util.Arrays.sort(train);
        return new Split(all.select(train), all.select(validation));
    }

    /** A Fisher-Yates permutation of 0..n-1 driven by {@link Random} (its sequence is fixed by the JDK spec). */
    public static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
