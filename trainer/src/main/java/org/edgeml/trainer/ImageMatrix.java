package org.edgeml.trainer;

import org.edgeml.core.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Labelled images as two off-heap ND4J matrices, one image per row: features {@code x = p/255}
 * ({@code [n, pixels]}) and one-hot labels ({@code [n, classes]}). Minibatches are row-range views,
 * so fitting copies nothing; shuffling permutes both matrices in place. Images of several channels
 * (HWC bytes) can be stored channel-major (CHW), the order DL4J's convolutional input expects.
 */
final class ImageMatrix {
    private static final int CHUNK_ROWS = 2048;

    final INDArray features;
    final INDArray labels;
    private final int[] classLabels;
    private final int channels;

    ImageMatrix(LabeledImages images, int classes) {
        this(images, classes, 1);
    }

    /**
     * @param channels the channels of each image's HWC bytes, stored channel-major when more than one
     */
    ImageMatrix(LabeledImages images, int classes, int channels) {
        if (channels < 1 || images.imageSize() % channels != 0) {
            throw new IllegalArgumentException(images.imageSize() + " values per image do not hold " + channels + " channels");
        }
        this.channels = channels;
        features = Nd4j.create(DataType.FLOAT, images.count(), images.imageSize());
        labels = Nd4j.create(DataType.FLOAT, images.count(), classes);
        classLabels = new int[images.count()];
        load(images);
    }

    /** Replaces every row with {@code images} (same count and size), in their order. */
    void load(LabeledImages images) {
        int n = images.count();
        int size = images.imageSize();
        int classes = (int) labels.columns();
        if (n != features.rows() || size != features.columns()) {
            throw new IllegalArgumentException(n + " images of " + size + " pixels do not fit a " + features.rows()
                    + " x " + features.columns() + " matrix");
        }
        // Filled in chunks so the heap never holds the whole float copy.
        for (int from = 0; from < n; from += CHUNK_ROWS) {
            int to = Math.min(n, from + CHUNK_ROWS);
            float[] chunk = new float[(to - from) * size];
            byte[] pixels = images.pixels();
            if (channels == 1) {
                for (int i = 0, p = from * size; i < chunk.length; i++, p++) {
                    chunk[i] = (pixels[p] & 0xFF) / 255f;
                }
            } else {
                int plane = size / channels;
                for (int row = 0; row < to - from; row++) {
                    int base = (from + row) * size;
                    for (int q = 0; q < plane; q++) {
                        for (int c = 0; c < channels; c++) {
                            chunk[row * size + c * plane + q] = (pixels[base + q * channels + c] & 0xFF) / 255f;
                        }
                    }
                }
            }
            rows(features, from, to).assign(Nd4j.create(chunk, new long[] {to - from, size}, DataType.FLOAT));
        }
        float[] oneHot = new float[n * classes];
        for (int i = 0; i < n; i++) {
            int label = images.label(i);
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("image " + i + " has label " + label + " but there are " + classes + " classes");
            }
            oneHot[i * classes + label] = 1;
        }
        labels.assign(Nd4j.create(oneHot, new long[] {n, classes}, DataType.FLOAT));
        System.arraycopy(images.labels(), 0, classLabels, 0, n);
    }

    int count() {
        return (int) features.rows();
    }

    /** The class label of row {@code i} in the current (possibly shuffled) order. */
    int label(int i) {
        return classLabels[i];
    }

    /** Permutes the rows of features and labels the same way; the same seed gives the same order. */
    void shuffle(long seed) {
        new DataSet(features, labels).shuffle(seed);
        int classes = (int) labels.columns();
        // The class labels follow the one-hot rows.
        float[][] oneHot = labels.toFloatMatrix();
        for (int i = 0; i < oneHot.length; i++) {
            for (int c = 0; c < classes; c++) {
                if (oneHot[i][c] == 1) {
                    classLabels[i] = c;
                }
            }
        }
    }

    static INDArray rows(INDArray matrix, int from, int to) {
        return matrix.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }
}
