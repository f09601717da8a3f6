package org.edgeml.core.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of the model-file parser: any byte string decodes to a valid model or fails with a
 * {@link ModelFormatException} whose message is one line naming the file. Any other exception, a hang or an
 * out-of-memory is a finding.
 *
 * <p>Regression mode (the default, as in CI): runs the seed corpus in
 * {@code src/test/resources/org/edgeml/core/model/Q8ModelFileFuzzTestInputs/decode/} (valid, signed and
 * broken model files) and any findings saved there. Fuzzing mode, on demand:
 * {@code JAZZER_FUZZ=1 mvn -pl core -am test -Dtest=Q8ModelFileFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * fuzzes for {@code maxDuration} (raise it here for longer runs; Jazzer 0.22 takes no command-line override);
 * findings land in the inputs directory above, the growing corpus in {@code core/.cifuzz-corpus/}.
 * The allocation bound is measured in {@link Q8ModelFileMutationTest}.
 */
class Q8ModelFileFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] bytes) {
        LoadedModel loaded;
        try {
            loaded = Q8ModelFile.decode(bytes, "fuzz.q8");
        } catch (ModelFormatException e) {
            String message = e.getMessage();
            assertTrue(message.startsWith("fuzz.q8: "), message);
            assertFalse(message.contains("\n"), message);
            return;
        }
        // What decodes is a valid model: writing it again gives a file that decodes to the same id's model.
        LoadedModel again = Q8ModelFile.decode(Q8ModelFile.encode(loaded.model()), "again.q8");
        assertTrue(again.model().layers().size() == loaded.model().layers().size());
    }
}
