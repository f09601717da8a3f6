package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.edgeml.core.json.Json;
import org.edgeml.core.model.QuantizedMultiplier;
import org.junit.jupiter.api.Test;

class FixedPointTest {
    private static final Map<String, Object> VECTORS = load();

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> vectors(String name) {
        return (List<Map<String, Object>>) VECTORS.get(name);
    }

    private static int i(Map<String, Object> v, String key) {
        return Math.toIntExact((Long) v.get(key));
    }

    @Test
    void saturatingRoundingDoublingHighMulMatchesGoldenVectors() {
        for (Map<String, Object> v : vectors("saturatingRoundingDoublingHighMul")) {
            assertEquals(i(v, "expected"), FixedPoint.saturatingRoundingDoublingHighMul(i(v, "a"), i(v, "b")), v.toString());
        }
    }

    @Test
    void roundingDivideByPOTMatchesGoldenVectors() {
        for (Map<String, Object> v : vectors("roundingDivideByPOT")) {
            assertEquals(i(v, "expected"), FixedPoint.roundingDivideByPOT(i(v, "x"), i(v, "exponent")), v.toString());
        }
    }

    @Test
    void multiplyByQuantizedMultiplierMatchesGoldenVectors() {
        for (Map<String, Object> v : vectors("multiplyByQuantizedMultiplier")) {
            assertEquals(i(v, "expected"),
                    FixedPoint.multiplyByQuantizedMultiplier(i(v, "x"), i(v, "multiplier"), i(v, "shift")), v.toString());
        }
    }

    @Test
    void quantizeMultiplierMatchesGoldenVectors() {
        for (Map<String, Object> v : vectors("quantizeMultiplier")) {
            double real = ((Number) v.get("real")).doubleValue();
            assertEquals(new QuantizedMultiplier(i(v, "multiplier"), i(v, "shift")), FixedPoint.quantizeMultiplier(real),
                    v.toString());
        }
    }

    @Test
    void highMulIsRoundHalfUpOfTheExactProduct() {
        Random rnd = new Random(1);
        for (int n = 0; n < 100_000; n++) {
            int a = n % 3 == 0 ? rnd.nextInt(1 << 16) - (1 << 15) : rnd.nextInt();
            int b = rnd.nextInt();
            long expected = Math.floorDiv((long) a * b + (1L << 30), 1L << 31);
            assertEquals(expected, FixedPoint.saturatingRoundingDoublingHighMul(a, b), a + " * " + b);
        }
    }

    @Test
    void divideByPOTIsRoundHalfAwayFromZero() {
        Random rnd = new Random(2);
        for (int n = 0; n < 100_000; n++) {
            int x = rnd.nextInt();
            int e = rnd.nextInt(32);
            int expected = new BigDecimal(x).divide(BigDecimal.valueOf(2).pow(e)).setScale(0, RoundingMode.HALF_UP).intValueExact();
            assertEquals(expected, FixedPoint.roundingDivideByPOT(x, e), x + " / 2^" + e);
        }
    }

    @Test
    void quantizedMultiplierIsWithinOneQ31Step() {
        Random rnd = new Random(3);
        for (int n = 0; n < 10_000; n++) {
            double real = Math.scalb(0.5 + rnd.nextDouble() * 0.5, rnd.nextInt(60) - 31);
            QuantizedMultiplier m = FixedPoint.quantizeMultiplier(real);
            assertTrue(m.multiplier() >= 1 << 30, m.toString());
            assertEquals(real, m.toDouble(), real * Math.scalb(1.0, -31), m.toString());
        }
    }

    @Test
    void rejectsImpossibleArguments() {
        for (double bad : new double[] {Double.NaN, -0.5, -Double.MIN_VALUE, Double.POSITIVE_INFINITY, Math.scalb(1.0, 30), 1e300}) {
            assertThrows(IllegalArgumentException.class, () -> FixedPoint.quantizeMultiplier(bad), Double.toString(bad));
        }
        assertEquals(QuantizedMultiplier.ZERO, FixedPoint.quantizeMultiplier(Double.MIN_VALUE));
        assertEquals(30, FixedPoint.quantizeMultiplier(Math.scalb(0.75, 30)).shift());
        // Just below 2^30 rounds up to 2^30 in 31 bits, which needs a shift of 31.
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.quantizeMultiplier(Math.nextDown(Math.scalb(1.0, 30))));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.roundingDivideByPOT(1, -1));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.roundingDivideByPOT(1, 32));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMultiplier(1 << 29, 0));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMultiplier(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMultiplier(1 << 30, 31));
        assertThrows(IllegalArgumentException.class, () -> new QuantizedMultiplier(1 << 30, -32));
    }

    private static Map<String, Object> load() {
        try (InputStream in = FixedPointTest.class.getResourceAsStream("/fixed-point-vectors.json")) {
            return Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
