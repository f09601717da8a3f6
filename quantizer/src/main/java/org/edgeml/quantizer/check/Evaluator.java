package org.edgeml.quantizer.check;

import java.io.PrintStream;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.core.engine.Int8Engine;
import org.edgeml.host.floatmodel.FloatNetwork;
import org.edgeml.host.io.ProgressBar;

/** Runs labelled images through the int8 engine the device runs, and through the float network. */
public final class Evaluator {
    private Evaluator() {}

    /**
     * @param network the float network to compare with, or null to run the int8 engine alone
     */
    public static Evaluation evaluate(Int8Engine engine, FloatNetwork network, LabeledImages images,
                                      java.util.List<String> labels, PrintStream progress) {
        if (images.imageSize() != engine.inputSize()) {
            throw new EdgemlException("the images are " + images.rows() + "x" + images.cols() + "x" + images.channels()
                    + " but the model expects " + engine.inputSize() + " input bytes: check --dataset/--data");
        }
        int n = images.count();
        int[] truth = images.labels().clone();
        for (int t : truth) {
            if (t >= engine.classes()) {
                throw new EdgemlException("the dataset has label " + t + " but the model knows " + engine.classes()
                        + " classes: check --dataset/--data");
            }
        }
        int[] int8 = new int[n];
        byte[] pixels = new byte[images.imageSize()];
        ProgressBar bar = new ProgressBar(progress, "int8 engine", n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            System.arraycopy(images.pixels(), i * pixels.length, pixels, 0, pixels.length);
            int8[i] = engine.classifyPixels(pixels);
            if ((i & 255) == 255) {
                bar.update(i + 1, "");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        bar.update(n, "");
        bar.finish();
        int[] floats = null;
        if (network != null) {
            floats = new int[n];
            ProgressBar floatBar = new ProgressBar(progress, "float model", n);
            for (int i = 0; i < n; i++) {
                System.arraycopy(images.pixels(), i * pixels.length, pixels, 0, pixels.length);
                floats[i] = network.classify(pixels);
                if ((i & 255) == 255) {
                    floatBar.update(i + 1, "");
                }
            }
            floatBar.update(n, "");
            floatBar.finish();
        }
        return new Evaluation(labels, truth, floats, int8, seconds, engine.kernelName());
    }
}
