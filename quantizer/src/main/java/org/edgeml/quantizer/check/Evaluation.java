package org.edgeml.quantizer.check;

import java.util.List;

/**
 * What running a test set through the int8 engine (and optionally the float network) showed.
 *
 * @param floatPredictions the float model's class per image, or null when no float model was run
 * @param int8Predictions  the int8 engine's class per image
 * @param int8Seconds      wall time of the int8 pass alone (preprocessing included), for images/s
 * @param int8Kernel       the engine's dense kernel ({@code scalar} or {@code vector}) that took that time
 */
public record Evaluation(List<String> labels, int[] truth, int[] floatPredictions, int[] int8Predictions,
                         double int8Seconds, String int8Kernel) {

    public int images() {
        return truth.length;
    }

    public boolean hasFloat() {
        return floatPredictions != null;
    }

    public double int8Accuracy() {
        return accuracy(int8Predictions);
    }

    public double floatAccuracy() {
        return hasFloat() ? accuracy(floatPredictions) : Double.NaN;
    }

    /** Share of images where float and int8 predict the same class. */
    public double agreement() {
        if (!hasFloat()) {
            return Double.NaN;
        }
        int same = 0;
        for (int i = 0; i < truth.length; i++) {
            same += floatPredictions[i] == int8Predictions[i] ? 1 : 0;
        }
        return (double) same / truth.length;
    }

    /**
     * How many percentage points int8 accuracy is below float, rounded to 1e-4 pp: the exact drop is a multiple
     * of 100/images, so this removes only the binary-fraction noise (0.03, not 0.029999999999996696) for test
     * sets of up to a million images.
     */
    public static double dropPp(double floatAccuracy, double int8Accuracy) {
        double drop = 100 * (floatAccuracy - int8Accuracy);
        return Double.isFinite(drop) ? Math.round(drop * 1e4) / 1e4 : drop;
    }

    public double int8ImagesPerSecond() {
        return int8Seconds > 0 ? truth.length / int8Seconds : Double.NaN;
    }

    /** Indices of the images where float and int8 disagree. */
    public int[] disagreements() {
        if (!hasFloat()) {
            return new int[0];
        }
        return java.util.stream.IntStream.range(0, truth.length)
                .filter(i -> floatPredictions[i] != int8Predictions[i]).toArray();
    }

    /** {@code [true][predicted]} counts of the int8 predictions. */
    public int[][] int8Confusion() {
        return confusion(int8Predictions);
    }

    public int[][] confusion(int[] predictions) {
        int[][] m = new int[labels.size()][labels.size()];
        for (int i = 0; i < truth.length; i++) {
            m[truth[i]][predictions[i]]++;
        }
        return m;
    }

    /** Accuracy of {@code predictions} on the images of class {@code c} (NaN when there are none). */
    public double classAccuracy(int[] predictions, int c) {
        int total = 0;
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == c) {
                total++;
                right += predictions[i] == c ? 1 : 0;
            }
        }
        return total == 0 ? Double.NaN : (double) right / total;
    }

    public int classCount(int c) {
        int n = 0;
        for (int t : truth) {
            n += t == c ? 1 : 0;
        }
        return n;
    }

    private double accuracy(int[] predictions) {
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            right += predictions[i] == truth[i] ? 1 : 0;
        }
        return truth.length == 0 ? Double.NaN : (double) right / truth.length;
    }
}
