package org.edgeml.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Padding;
import org.edgeml.core.model.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The --layers grammar of docs/training.md: the documented examples and defaults, and one-line errors. */
class LayerSpecParserTest {

    @Test
    void theIssueExampleParsesWithTheDocumentedDefaults() {
        List<LayerSpec> layers = LayerSpecParser.parse("conv3x3:32,maxpool2,conv3x3:64,maxpool2,dense:128,dropout:0.3", Activation.RELU);
        assertEquals(List.of(
                new LayerSpec.Conv(3, 3, 32, 1, 1, Padding.VALID, Activation.RELU),
                new LayerSpec.Pool(true, 2, 2, 2, 2, Padding.VALID),
                new LayerSpec.Conv(3, 3, 64, 1, 1, Padding.VALID, Activation.RELU),
                new LayerSpec.Pool(true, 2, 2, 2, 2, Padding.VALID),
                new LayerSpec.Dense(128, Activation.RELU),
                new LayerSpec.Dropout(0.3)), layers);
    }

    @Test
    void everyKindAndOption() {
        List<LayerSpec> layers = LayerSpecParser.parse(
                "conv5x3:8:s2x1:same:tanh,bn,dwconv3:S2:valid,avgpool3:s1:same,maxpool2x3,gap,dense:16:identity,bn,maxout:10:3,dropout:0.5",
                Activation.ELU);
        assertEquals(List.of(
                new LayerSpec.Conv(5, 3, 8, 2, 1, Padding.SAME, Activation.TANH),
                new LayerSpec.BatchNorm(),
                new LayerSpec.DepthwiseConv(3, 3, 2, 2, Padding.VALID, Activation.ELU),
                new LayerSpec.Pool(false, 3, 3, 1, 1, Padding.SAME),
                new LayerSpec.Pool(true, 2, 3, 2, 3, Padding.VALID),
                new LayerSpec.GlobalAveragePool(),
                new LayerSpec.Dense(16, Activation.IDENTITY),
                new LayerSpec.BatchNorm(),
                new LayerSpec.Maxout(10, 3),
                new LayerSpec.Dropout(0.5)), layers);
    }

    @Test
    void theSpelledOutTextParsesBackToTheSameLayers() {
        List<LayerSpec> layers = LayerSpecParser.parse(Architecture.CNN.preset + ",maxout:4:2", Activation.RELU);
        String text = LayerSpecParser.text(layers);
        assertEquals("conv3x3:32:s1:valid:relu,bn,maxpool2x2:s2:valid,conv3x3:64:s1:valid:relu,bn,maxpool2x2:s2:valid,"
                + "dense:128:relu,dropout:0.3,maxout:4:2", text);
        assertEquals(layers, LayerSpecParser.parse(text, Activation.TANH));
    }

    @Test
    void thePresetFitsFashionMnist() {
        List<Shape> shapes = LayerShapes.check(LayerSpecParser.parse(Architecture.CNN.preset, Activation.RELU), new Shape(28, 28, 1));
        // 28 -conv3-> 26 -pool2-> 13 -conv3-> 11 -pool2-> 5 (floor), flattened 5*5*64 = 1600, then dense 128
        assertEquals(List.of(new Shape(26, 26, 32), new Shape(26, 26, 32), new Shape(13, 13, 32), new Shape(11, 11, 64),
                new Shape(11, 11, 64), new Shape(5, 5, 64), new Shape(1, 1, 128), new Shape(1, 1, 128)), shapes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "pool2|'pool2' is not a layer kind: use conv<K>[x<K>]:<filters>, dwconv<K>[x<K>], maxpool<K>, avgpool<K>, gap, flatten, dense:<units>, maxout:<units>:<pieces>, dropout:<p>, bn",
            "conv3x3|bad layer 'conv3x3': a convolution needs its filter count: conv3x3:<filters>",
            "conv3x3:0|bad layer 'conv3x3:0': filters '0' must be a whole number from 1 to 65536",
            "conv3x3:8:swish|bad layer 'conv3x3:8:swish': 'swish' is not an option here",
            "conv3x3:8:same:valid|bad layer 'conv3x3:8:same:valid': 'valid' is not an option here",
            "maxpool2:relu|bad layer 'maxpool2:relu': 'relu' is not an option here: maxpool takes s<stride>, same or valid, each once",
            "dense|bad layer 'dense': write dense:<units>[:<activation>]",
            "dense:10:swish|bad layer 'dense:10:swish': unknown activation 'swish'",
            "maxout:10|bad layer 'maxout:10': write maxout:<units>:<pieces>",
            "maxout:10:1|bad layer 'maxout:10:1': a maxout unit needs 2..16 pieces",
            "dropout:1|bad layer 'dropout:1': the dropout rate is the probability of dropping a value",
            "dropout:x|bad layer 'dropout:x': the dropout rate",
            "bn:2|bad layer 'bn:2': bn takes no options",
            "'conv3x3:8,,dense:4'|--layers has an empty layer",
            "bn,dense:4|'bn' (layer 1) must directly follow a conv, dwconv or dense layer",
            "conv3x3:8,maxpool2,bn|'bn' (layer 3) must directly follow a conv, dwconv or dense layer",
            "dense:8,conv3x3:4|'conv3x3:4:s1:valid:relu' (layer 2) works on images but comes after a flatten, gap, dense or maxout layer",
            "conv3x3:8,gap,flatten|'flatten' (layer 3) comes after the image is already flat",
    })
    void badSpecsAreOneLineNamingTheToken(String spec, String message) {
        EdgemlException e = assertThrows(EdgemlException.class, () -> LayerSpecParser.parse(spec, Activation.RELU));
        assertTrue(e.getMessage().startsWith("--layers"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void aLayerThatDoesNotFitItsInputIsNamed() {
        EdgemlException e = assertThrows(EdgemlException.class, () -> LayerShapes.check(
                LayerSpecParser.parse("conv3x3:8,maxpool2,conv5x5:8,maxpool2,conv5x5:8", Activation.RELU), new Shape(28, 28, 1)));
        assertEquals("--layers: 'conv5x5:8:s1:valid:relu' (layer 5) does not fit its 4x4x8 input: kernel 5x5 is larger "
                + "than the 4x4x8 input: valid padding needs kernel <= input", e.getMessage());
    }
}
