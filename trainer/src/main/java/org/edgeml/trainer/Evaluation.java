package org.edgeml.trainer;

/**
 * A model's scores on a set of labelled images: mean cross-entropy, accuracy, and the predicted class
 * of each image. An empty set has NaN loss and accuracy.
 */
public record Evaluation(double loss, double accuracy, int[] predictions) {

    public static Evaluation empty() {
        return new Evaluation(Double.NaN, Double.NaN, new int[0]);
    }

    /** {@code confusion[true][predicted]} counts. */
    public int[][] confusion(int[] labels, int classes) {
        int[][] m = new int[classes][classes];
        for (int i = 0; i < predictions.length; i++) {
            m[labels[i]][predictions[i]]++;
        }
        return m;
    }
}
