package org.edgeml.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast kernel's weights stay on vector-size boundaries, and their values survive every move. */
class AlignedShortsTest {

    @Test
    void thisJvmTellsArrayAddresses() {
        assertTrue(ArrayAddresses.known(), "the kernel could not align its weights on this JVM ("
                + System.getProperty("java.vm.name") + " " + Runtime.version() + "): it runs, but slower");
    }

    @Test
    void dataStartOnTheBoundaryAndSurviveCollections() {
        List<AlignedShorts> arrays = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            // Odd lengths and a few small arrays between them: every starting offset occurs.
            new byte[n * 8 + 1].hashCode();
            AlignedShorts shorts = new AlignedShorts(1000 + n, 64);
            short[] a = shorts.array();
            int start = shorts.start();
            for (int i = 0; i < shorts.length(); i++) {
                a[start + i] = (short) (i * 31 + n);
            }
            arrays.add(shorts);
        }
        for (int round = 0; round < 3; round++) {
            for (int n = 0; n < arrays.size(); n++) {
                AlignedShorts shorts = arrays.get(n);
                int start = shorts.start();
                long address = ArrayAddresses.shortsAddress(new Object[] {shorts.array()});
                assertEquals(0, (address + 2L * start) % 64, "array " + n + " starts off the boundary");
                for (int i = 0; i < shorts.length(); i++) {
                    assertEquals((short) (i * 31 + n), shorts.array()[start + i], "array " + n + " element " + i);
                }
            }
            System.gc(); // may move the arrays: start() must notice and slide the data
        }
    }
}
