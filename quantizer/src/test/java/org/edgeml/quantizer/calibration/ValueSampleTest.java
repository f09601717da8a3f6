package org.edgeml.quantizer.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ValueSampleTest {
    @Test
    void keepsEveryValueUpToItsCapacity() {
        ValueSample sample = new ValueSample(100, 1);
        float[] values = new float[100];
        for (int i = 0; i < 100; i++) {
            values[i] = i - 20;
        }
        sample.add(values);
        for (CalibrationMethod method : CalibrationMethod.values()) {
            assertEquals(method.choose(values.clone(), values.length), sample.choose(method), method.cliName());
        }
    }

    @Test
    void beyondItsCapacityMinmaxStillSeesTheExactExtremes() {
        ValueSample sample = new ValueSample(64, 2);
        for (int batch = 0; batch < 100; batch++) {
            float[] values = new float[50];
            for (int i = 0; i < 50; i++) {
                values[i] = batch * 50 + i; // 0 .. 4999, the extremes in the first and the last batch
            }
            sample.add(values);
        }
        assertEquals(new Range(0, 4999), sample.choose(CalibrationMethod.MINMAX));
        // A uniform sample of 0..4999: its 0.01th..99.99th percentiles lie inside, near the ends.
        Range p = sample.choose(CalibrationMethod.PERCENTILE);
        assertTrue(p.min() >= 0 && p.min() < 500 && p.max() > 4500 && p.max() <= 4999, p.toString());
    }
}
