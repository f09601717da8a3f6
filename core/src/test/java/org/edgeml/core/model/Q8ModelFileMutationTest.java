package org.edgeml.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.edgeml.core.engine.TestModels;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Any byte string must decode to a valid model or fail with a ModelFormatException, nothing else. */
class Q8ModelFileMutationTest {
    private static final byte[] FILE = Q8ModelFile.encode(TestModels.model(11, 3, Activation.SIGMOID, 5, 3));
    /** The same model with a SIGN trailer chunk (any 72 bytes: decoding does not verify signatures). */
    private static final byte[] SIGNED = ModelBytes.concat(FILE, ModelBytes.chunk("SIGN", new byte[72]));

    @Test
    void rawMutationsOnlyEverFailWithModelFormatException() {
        Random rnd = new Random(42);
        int refused = 0;
        for (int n = 0; n < 5000; n++) {
            refused += decodes(mutate(FILE, rnd)) ? 0 : 1;
        }
        assertTrue(refused > 4000, "the digest should catch almost every mutation, refused only " + refused);
    }

    @Test
    void mutationsOfASignedFileOnlyEverFailWithModelFormatException() {
        Random rnd = new Random(44);
        for (int n = 0; n < 3000; n++) {
            decodes(mutate(SIGNED, rnd));
        }
    }

    /**
     * The decoder allocates in proportion to the file, never to what a length field claims: measured with the
     * JVM's per-thread allocation counter over mutants and over files whose length fields claim gigabytes.
     */
    @Test
    void decodingAllocatesInProportionToTheInputOnly() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long thread = Thread.currentThread().getId();
        Random rnd = new Random(45);
        java.util.List<byte[]> inputs = new java.util.ArrayList<>();
        for (int n = 0; n < 500; n++) {
            inputs.add(mutate(SIGNED, rnd));
        }
        for (int at = 12; at + 8 <= FILE.length; at += 7) { // every length-like field claiming ~4 GiB
            byte[] b = FILE.clone();
            b[at] = b[at + 1] = b[at + 2] = b[at + 3] = (byte) 0xff;
            inputs.add(b);
            int end = b.length - 40;
            byte[] body = Arrays.copyOf(b, end);
            inputs.add(ModelBytes.concat(body, ModelBytes.chunk("DGST", Q8ModelFile.sha256(body, body.length))));
        }
        long worst = 0;
        for (byte[] input : inputs) {
            long before = threads.getThreadAllocatedBytes(thread);
            decodes(input);
            long used = threads.getThreadAllocatedBytes(thread) - before;
            worst = Math.max(worst, used - 16L * input.length);
        }
        // 16 bytes per input byte covers the decoded arrays (an int per byte at most, copied once); the
        // constant covers the digest, exception and message objects.
        assertTrue(worst < 256 * 1024, "decoding allocated " + worst + " bytes beyond 16 per input byte");
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

    /** The same for a CNN, so the feature layer parsers (CONV, MAXP, DWCV, AVGP, FLAT) see them. */
    @Test
    void redigestedMutationsOfACnnOnlyEverFailWithModelFormatException() {
        byte[] cnn = Q8ModelFile.encode(org.edgeml.core.engine.TestModels.cnn(3, 8, Activation.TANH, 3, 2, 3));
        Random rnd = new Random(45);
        for (int n = 0; n < 3000; n++) {
            byte[] mutated = mutate(cnn, rnd);
            int end = mutated.length - 40;
            if (end > 12) {
                byte[] body = Arrays.copyOf(mutated, end);
                mutated = ModelBytes.concat(body, ModelBytes.chunk("DGST", Q8ModelFile.sha256(body, body.length)));
            }
            decodes(mutated);
        }
    }

    /** The same for a colour CNN (version 3), so the INPT parser sees mutated channel and normalization fields. */
    @Test
    void redigestedMutationsOfAColourCnnOnlyEverFailWithModelFormatException() {
        byte[] cnn = Q8ModelFile.encode(org.edgeml.core.engine.TestModels.cnn(4, 6, 3, Activation.RELU, 2, 2, 3));
        Random rnd = new Random(46);
        for (int n = 0; n < 2000; n++) {
            byte[] mutated = mutate(cnn, rnd);
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
