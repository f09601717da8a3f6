package org.edgeml.quantizer.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationMethodTest {
    private static float[] withOutlier() {
        Random random = new Random(1);
        float[] v = new float[100_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.abs(random.nextGaussian());
        }
        v[17] = 100f;
        return v;
    }

    @Test
    void minmaxCoversEverything() {
        Range r = CalibrationMethod.MINMAX.choose(withOutlier(), 100_000);
        assertEquals(100.0, r.max(), 1e-6);
        assertTrue(r.min() >= 0);
    }

    @Test
    void percentileAndMseClipTheRareOutlier() {
        float[] v = withOutlier();
        Range p = CalibrationMethod.PERCENTILE.choose(v, v.length);
        assertTrue(p.max() > 3 && p.max() < 10, "99.99th percentile of |N(0,1)| is about 3.9: " + p);
        Range m = CalibrationMethod.MSE.choose(v, v.length);
        assertTrue(m.max() < 100 && m.max() > 1, "mse shrinks the range: " + m);
    }

    @Test
    void emptyAndConstantInputs() {
        assertEquals(new Range(0, 0), CalibrationMethod.MINMAX.choose(new float[0], 0));
        Range c = CalibrationMethod.MSE.choose(new float[] {2, 2, 2}, 3);
        assertTrue(c.max() <= 2 && c.max() > 0);
    }
}
