package org.edgeml.quantizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.edgeml.core.model.InputQuantization;
import org.edgeml.host.floatmodel.InputSpec;
import org.junit.jupiter.api.Test;

class InputQuantizationTest {

    /** Pixels 0..255 scaled by 1/255 cover [0, 1]: scale 1/255, zero point -128 (0 -> -128, 255 -> 127), any channels. */
    @Test
    void theInputKeepsItsChannels() {
        InputQuantization colour = PostTrainingQuantizer.inputQuantization(new InputSpec(6, 4, 3, false, 1 / 255.0, 0));
        assertEquals(3, colour.channels());
        assertEquals(6 * 4 * 3, colour.size());
        assertEquals(1 / 255f, colour.scale(), 1e-9);
        assertEquals(-128, colour.zeroPoint());
        assertEquals(1, PostTrainingQuantizer.inputQuantization(InputSpec.grayscale28()).channels());
    }
}
