package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.GoldenVector;
import org.edgeml.core.model.InputQuantization;
import org.edgeml.core.model.Q8Model;
import org.edgeml.core.model.QuantizedDense;
import org.junit.jupiter.api.Test;

class Int8EngineTest {
    private static final Q8Model MODEL = TestModels.model(5, 5, Activation.RELU, 16, 8, 6);

    @Test
    void reproducesItsOwnGoldens() {
        Int8Engine engine = new Int8Engine(MODEL);
        assertEquals(List.of(), engine.verifyGoldens());
        engine.requireGoldens("model.q8");
    }

    @Test
    void goldenCheckCatchesASingleBitChange() {
        List<GoldenVector> goldens = new ArrayList<>(MODEL.goldens());
        GoldenVector g = goldens.get(3);
        byte[] output = g.output().clone();
        output[4] ^= 1;
        goldens.set(3, new GoldenVector(g.input(), output));
        Int8Engine engine = new Int8Engine(MODEL.withGoldens(goldens));
        assertEquals(List.of(new GoldenMismatch(3, 4, output[4], g.output()[4])), engine.verifyGoldens());
        EdgemlException e = assertThrows(EdgemlException.class, () -> engine.requireGoldens("model.q8"));
        assertEquals(EdgemlException.EXIT_MODEL_REFUSED, e.exitCode());
        assertTrue(e.getMessage().startsWith("model.q8: refused: golden vector 3 differs at logit 4"), e.getMessage());
    }

    @Test
    void goldenCheckCatchesASingleBitChangeInAWeight() {
        QuantizedDense first = MODEL.layers().get(0);
        int caught = 0;
        for (int bit = 0; bit < 7; bit++) {
            byte[] weights = first.weights().clone();
            weights[0] ^= (byte) (1 << bit);
            if (weights[0] == Byte.MIN_VALUE) {
                continue;
            }
            List<QuantizedDense> layers = new ArrayList<>(MODEL.layers());
            layers.set(0, withWeights(first, weights));
            caught += new Int8Engine(new Q8Model(MODEL.info(), MODEL.input(), layers, MODEL.goldens())).verifyGoldens().isEmpty() ? 0 : 1;
        }
        assertTrue(caught >= 5, "only " + caught + " of 7 weight bit flips changed a golden output");
    }

    @Test
    void refusesAModelWithoutGoldens() {
        Int8Engine engine = new Int8Engine(MODEL.withGoldens(List.of()));
        assertEquals(EdgemlException.EXIT_MODEL_REFUSED,
                assertThrows(EdgemlException.class, () -> engine.requireGoldens("m")).exitCode());
    }

    @Test
    void quantizesPixelsThroughTheInputTable() {
        InputQuantization q = new InputQuantization(5, 5, true, 1 / 255.0, -0.4, 1 / 255f, 0);
        Q8Model model = TestModels.model(5, 5, Activation.RELU, 6);
        Q8Model inverted = new Q8Model(model.info(), q,
                List.of(reinput(model.layers().get(0), q)), List.of());
        Int8Engine engine = new Int8Engine(inverted);
        byte[] raw = new byte[25];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 10);
        }
        byte[] out = new byte[25];
        engine.quantizeInput(raw, out);
        for (int i = 0; i < raw.length; i++) {
            double x = (255 - (raw[i] & 0xFF)) / 255.0 - 0.4;
            long expected = Math.max(-128, Math.min(127, Math.round(x * 255)));
            assertEquals(expected, out[i], "pixel " + (raw[i] & 0xFF));
        }
        assertEquals(127, q.lookupTable()[0]);
        assertEquals(-102, q.lookupTable()[255]);
        InputQuantization fashion = InputQuantization.covering(28, 28, false, 1 / 255.0, 0);
        assertEquals(1 / 255f, fashion.scale());
        assertEquals(-128, fashion.zeroPoint());
        assertEquals(-128, fashion.lookupTable()[0]);
        assertEquals(127, fashion.lookupTable()[255]);
    }

    @Test
    void predictRanksClassesBySoftmaxOfTheDequantizedLogits() {
        Int8Engine engine = new Int8Engine(MODEL);
        Random rnd = new Random(9);
        double scale = MODEL.lastLayer().outputScale();
        for (int n = 0; n < 20; n++) {
            byte[] raw = TestModels.randomPixels(rnd, MODEL.inputSize());
            Prediction p = engine.predict(raw, 3);
            byte[] in = new byte[MODEL.inputSize()];
            engine.quantizeInput(raw, in);
            byte[] logits = new byte[MODEL.classes()];
            engine.infer(in, logits);
            double sum = 0;
            double[] expected = new double[logits.length];
            for (int i = 0; i < logits.length; i++) {
                expected[i] = Math.exp(scale * (logits[i] - MODEL.lastLayer().outputZeroPoint()));
                sum += expected[i];
            }
            assertEquals(engine.classify(in), p.classIndex());
            assertEquals(engine.classifyPixels(raw), p.classIndex());
            assertEquals("class " + p.classIndex(), p.label());
            assertEquals(3, p.top().size());
            assertEquals(p.classIndex(), p.top().get(0).classIndex());
            for (Prediction.Ranked r : p.top()) {
                assertEquals(expected[r.classIndex()] / sum, r.p(), 1e-12);
            }
            assertTrue(p.top().get(0).p() >= p.top().get(1).p() && p.top().get(1).p() >= p.top().get(2).p());
            assertEquals(expected[p.classIndex()] / sum, p.confidence(), 1e-12);
        }
        assertEquals(MODEL.classes(), engine.predict(new byte[MODEL.inputSize()], 100).top().size());
        assertThrows(IllegalArgumentException.class, () -> engine.predict(new byte[MODEL.inputSize()], 0));
        assertThrows(IllegalArgumentException.class, () -> engine.classify(new byte[3]));
    }

    @Test
    void softmaxBreaksTiesByLowestIndex() {
        Int8Engine engine = new Int8Engine(MODEL);
        double[] p = new double[6];
        engine.softmax(new byte[] {5, 9, 9, -128, 127, 127}, p);
        assertEquals(p[4], p[5]);
        assertEquals(1.0, p[0] + p[1] + p[2] + p[3] + p[4] + p[5], 1e-12);
    }

    @Test
    void runsLayersOnTheKernelsItIsGiven() {
        AtomicInteger calls = new AtomicInteger();
        Int8Engine counting = new Int8Engine(MODEL, layer -> {
            ScalarDenseKernel reference = new ScalarDenseKernel(layer);
            return (in, out) -> {
                calls.incrementAndGet();
                reference.apply(in, out);
            };
        });
        byte[] logits = new byte[MODEL.classes()];
        counting.infer(MODEL.goldens().get(0).input(), logits);
        assertEquals(3, calls.get());
        assertArrayEquals(MODEL.goldens().get(0).output(), logits);
    }

    private static QuantizedDense withWeights(QuantizedDense d, byte[] weights) {
        return new QuantizedDense(d.inputs(), d.outputs(), d.activation(), weights, d.weightScales(), d.bias(), d.multiplier(),
                d.shift(), d.inputScale(), d.inputZeroPoint(), d.preActivationScale(), d.preActivationZeroPoint(),
                d.outputScale(), d.outputZeroPoint(), d.clampMin(), d.clampMax(), d.lookupTable());
    }

    private static QuantizedDense reinput(QuantizedDense d, InputQuantization q) {
        return new QuantizedDense(d.inputs(), d.outputs(), d.activation(), d.weights(), d.weightScales(), d.bias(), d.multiplier(),
                d.shift(), q.scale(), q.zeroPoint(), d.preActivationScale(), d.preActivationZeroPoint(),
                d.outputScale(), d.outputZeroPoint(), d.clampMin(), d.clampMax(), d.lookupTable());
    }

    @Test
    void anUnsurePredictionBecomesUnknownWithItsTopKept() {
        Prediction sure = new Prediction(2, "bag", 0.8, List.of(new Prediction.Ranked(2, "bag", 0.8),
                new Prediction.Ranked(0, "shirt", 0.15)));
        assertEquals(sure, sure.orUnknownBelow(0.8), "at the threshold it keeps its class");
        Prediction unsure = sure.orUnknownBelow(0.81);
        assertEquals(-1, unsure.classIndex());
        assertEquals("unknown", unsure.label());
        assertEquals(0.8, unsure.confidence());
        assertEquals(sure.top(), unsure.top());
    }
}
