package org.edgeml.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The exact and tanh GELUs that imported models use, against PyTorch 1.13's F.gelu in float64. */
class GeluFormsTest {
    private static final double[] X = {-3.0, -1.0, -0.25, 0.5, 1.0, 2.5};
    // torch.nn.functional.gelu(x) and gelu(x, approximate="tanh"), dtype float64
    private static final double[] ERF = {-0.004049694095, -0.158655253931, -0.100323418579, 0.345731230637,
        0.841344746069, 2.484475836686};
    private static final double[] TANH = {-0.003637392082, -0.158808009392, -0.100324649298, 0.345714009825,
        0.841191990608, 2.48491573391};

    @Test
    void matchPyTorch() {
        for (int i = 0; i < X.length; i++) {
            assertEquals(ERF[i], Activation.GELU_ERF.apply(X[i]), 1e-6, "gelu_erf(" + X[i] + ")");
            assertEquals(TANH[i], Activation.GELU_TANH.apply(X[i]), 1e-9, "gelu_tanh(" + X[i] + ")");
        }
    }

    @Test
    void namesRoundTrip() {
        assertEquals(Activation.GELU_ERF, Activation.parse("gelu_erf"));
        assertEquals(Activation.GELU_TANH, Activation.parse(Activation.GELU_TANH.cliName()));
        assertEquals(Activation.GELU_ERF, Activation.fromCode(7));
        assertEquals(Activation.GELU, Activation.parse("gelu"));
    }
}
