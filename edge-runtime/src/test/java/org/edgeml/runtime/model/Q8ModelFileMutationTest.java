package org.edgeml.runtime.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.edgeml.runtime.engine.TestModels;
import org.junit.jupiter.api.Test;

/** Any byte string must decode to a valid model or fail with a ModelFormatException, nothing else. */
class Q8ModelFileMutationTest {
    private static final byte[] FILE = Q8ModelFile.encode(TestModels.model(11, 3, Activation.SIGMOID, 5, 3));

    @Test
    void rawMutationsOnlyEverFailWithModelFormatException() {
        Random rnd = new Random(42);
        int refused = 0;
        for (int n = 0; n < 5000; n++) {
            refused += decodes(mutate(FILE, rnd)) ? 0 : 1;
        }
        assertTrue(refused > 4000, "the digest should catch almost every mutation, refused only " + refused);
    }

    /** Mutations that get past the digest, so the payload parsers see them. */
    @Test
    void redigestedMutationsOnlyEverFailWithModelFormatException() {
        Random rnd = new Random(43);
        for (int n = 0; n < 5000; n++) {
            byte[] mutated = mutate(FILE, rnd);
            int end = mutated.length - 40;
            if (end > 12) {
                byte[] body = Arrays.copyOf(mutated, end);
                mutated = ModelBytes.concat(body, ModelBytes.chunk("DGST", Q8ModelFile.sha256(body, body.length)));
            }
            decodes(mutated);
        }
    }

    private static boolean decodes(byte[] bytes) {
        try {
            Q8ModelFile.decode(bytes, "fuzz.q8");
            return true;
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz.q8: "), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            fail("mutated file gave " + e + " instead of a ModelFormatException", e);
            return false;
        }
    }

    private static byte[] mutate(byte[] original, Random rnd) {
        byte[] b = original.clone();
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(256);
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    byte[] inserted = new byte[1 + rnd.nextInt(8)];
                    rnd.nextBytes(inserted);
                    b = ModelBytes.concat(Arrays.copyOf(b, at), inserted, Arrays.copyOfRange(b, at, b.length));
                }
                default -> b = ModelBytes.concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, Math.min(b.length, at + 1 + rnd.nextInt(8)), b.length));
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }
}
