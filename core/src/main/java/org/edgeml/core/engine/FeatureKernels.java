package org.edgeml.core.engine;

import java.util.function.Function;
import org.edgeml.core.model.AveragePool2D;
import org.edgeml.core.model.FeatureLayer;
import org.edgeml.core.model.Flatten;
import org.edgeml.core.model.GlobalAveragePool;
import org.edgeml.core.model.MaxPool2D;
import org.edgeml.core.model.QuantizedConv2D;
import org.edgeml.core.model.QuantizedDepthwiseConv2D;

/**
 * Prepares the kernel of each feature layer kind: the scalar reference kernels, or, for conv2d, the
 * {@link PatchConv2DKernel} on a chosen dense kernel (the same bytes; the fast path with the Vector API
 * dense kernel). The other kinds run their reference kernels on every choice.
 */
public final class FeatureKernels {
    private FeatureKernels() {}

    /** The feature kernels that go with a dense kernel choice: the references for {@code scalar}, patches on its dense kernels otherwise. */
    public static Function<FeatureLayer, LayerKernel> forChoice(DenseKernels.Choice choice) {
        if (choice.name().equals(DenseKernels.SCALAR.name())) {
            return FeatureKernels::scalar;
        }
        return layer -> layer instanceof QuantizedConv2D conv ? new PatchConv2DKernel(conv, choice.factory()) : scalar(layer);
    }

    /** The reference kernel for {@code layer}. */
    public static LayerKernel scalar(FeatureLayer layer) {
        if (layer instanceof QuantizedConv2D conv) {
            return new ScalarConv2DKernel(conv);
        } else if (layer instanceof QuantizedDepthwiseConv2D depthwise) {
            return new ScalarDepthwiseConv2DKernel(depthwise);
        } else if (layer instanceof MaxPool2D pool) {
            return new MaxPoolKernel(pool);
        } else if (layer instanceof AveragePool2D pool) {
            return new AveragePoolKernel(pool);
        } else if (layer instanceof GlobalAveragePool pool) {
            return new GlobalAveragePoolKernel(pool);
        } else if (layer instanceof Flatten flatten) {
            int size = flatten.inputShape().size();
            return (input, output) -> System.arraycopy(input, 0, output, 0, size); // NHWC is already flat
        }
        throw new IllegalArgumentException("no kernel for " + layer);
    }
}
