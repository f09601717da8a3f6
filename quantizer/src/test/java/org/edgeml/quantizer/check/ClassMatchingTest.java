package org.edgeml.quantizer.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.data.LabeledImages;
import org.edgeml.host.data.Dataset;
import org.junit.jupiter.api.Test;

class ClassMatchingTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final List<String> MODEL = List.of("cat", "dog", "owl");

    private static Dataset folder(List<String> classes, int... testLabels) {
        LabeledImages train = new LabeledImages(1, 1, new byte[3], new int[] {0, 1, 2});
        LabeledImages test = new LabeledImages(1, 1, new byte[testLabels.length], testLabels);
        return new Dataset("folder", classes, train, test, "/data/pets");
    }

    @Test
    void classesWithOtherNamesAreRefusedUnlessMatchedByPosition() {
        Dataset other = folder(List.of("apple", "banana", "cherry"), 0, 1, 2);
        EdgemlException e = assertThrows(EdgemlException.class, () -> ClassMatching.align(other, MODEL, "pets.q8", false, QUIET));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("[apple, banana, cherry]") && e.getMessage().contains("[cat, dog, owl]")
                && e.getMessage().contains("--labels-by-position"), e.getMessage());
        assertSame(other, ClassMatching.align(other, MODEL, "pets.q8", true, QUIET));
    }

    @Test
    void theSameClassesInAnotherOrderAreMatchedByName() {
        // folder order: dog=0, owl=1, cat=2; the model's: cat=0, dog=1, owl=2
        Dataset reordered = folder(List.of("dog", "owl", "cat"), 0, 1, 2, 2);
        Dataset aligned = ClassMatching.align(reordered, MODEL, "pets.q8", false, QUIET);
        assertEquals(MODEL, aligned.labels());
        assertArrayEquals(new int[] {1, 2, 0, 0}, aligned.test().labels());
        assertArrayEquals(new int[] {1, 2, 0}, aligned.train().labels());
    }

    @Test
    void sameNamesOrUnnamedClassesPassAsTheyAre() {
        Dataset same = folder(MODEL, 0, 1);
        assertSame(same, ClassMatching.align(same, MODEL, "pets.q8", false, QUIET));
        Dataset unnamed = folder(List.of("0", "1", "2"), 0, 1);
        assertSame(unnamed, ClassMatching.align(unnamed, MODEL, "pets.q8", false, QUIET));
    }
}
