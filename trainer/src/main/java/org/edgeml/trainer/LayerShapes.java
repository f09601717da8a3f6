package org.edgeml.trainer;

import java.util.ArrayList;
import java.util.List;
import org.edgeml.core.EdgemlException;
import org.edgeml.core.model.Shape;
import org.edgeml.core.model.Window;

/** The activation shape after each layer of a spec, for an input shape; refuses layers that do not fit. */
final class LayerShapes {
    private LayerShapes() {}

    /** The output shape of each layer ({@code 1 x 1 x N} once flat); one line naming the layer that does not fit. */
    static List<Shape> check(List<LayerSpec> layers, Shape input) {
        List<Shape> shapes = new ArrayList<>();
        Shape shape = input;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            try {
                shape = output(layer, shape);
            } catch (IllegalArgumentException e) {
                throw new EdgemlException("--layers: '" + layer.text() + "' (layer " + (i + 1) + ") does not fit its "
                        + shape + " input: " + e.getMessage());
            }
            shapes.add(shape);
        }
        return shapes;
    }

    private static Shape output(LayerSpec layer, Shape in) {
        if (layer instanceof LayerSpec.Conv c) {
            return new Window(in, c.kernelHeight(), c.kernelWidth(), c.strideHeight(), c.strideWidth(), c.padding())
                    .output(c.filters());
        } else if (layer instanceof LayerSpec.DepthwiseConv d) {
            return new Window(in, d.kernelHeight(), d.kernelWidth(), d.strideHeight(), d.strideWidth(), d.padding())
                    .output(in.channels());
        } else if (layer instanceof LayerSpec.Pool p) {
            return new Window(in, p.kernelHeight(), p.kernelWidth(), p.strideHeight(), p.strideWidth(), p.padding())
                    .output(in.channels());
        } else if (layer instanceof LayerSpec.GlobalAveragePool) {
            return new Shape(1, 1, in.channels());
        } else if (layer instanceof LayerSpec.Flatten) {
            return new Shape(1, 1, in.size());
        } else if (layer instanceof LayerSpec.Dense d) {
            return new Shape(1, 1, d.units());
        } else if (layer instanceof LayerSpec.Maxout m) {
            return new Shape(1, 1, m.units());
        }
        return in; // dropout, bn
    }
}
