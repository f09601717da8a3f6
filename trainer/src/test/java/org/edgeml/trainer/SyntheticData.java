package org.edgeml.trainer;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.host.data.Dataset;

/** Small 28x28 datasets for tests: each class is a bright bar at its own place, over noise. */
final class SyntheticData {
    static final int CLASSES = 10;
    static final List<String> LABELS = IntStream.range(0, CLASSES).mapToObj(i -> "class" + i).toList();

    private SyntheticData() {}

    static LabeledImages images(int count, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * 784];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int label = random.nextInt(CLASSES);
            labels[n] = label;
            boolean horizontal = label % 2 == 0;
            int position = 3 + (label / 2) * 5 + random.nextInt(3) - 1;
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    int noise = random.nextInt(90);
                    boolean onBar = Math.abs((horizontal ? r : c) - position) <= 1;
                    pixels[n * 784 + r * 28 + c] = (byte) Math.min(255, noise + (onBar ? 150 : 0));
                }
            }
        }
        return new LabeledImages(28, 28, pixels, labels);
    }

    static Dataset dataset(int train, int test, long seed) {
        return new Dataset("synthetic", LABELS, images(train, seed), images(test, seed + 1), "memory");
    }
}
