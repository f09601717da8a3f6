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
 * Prepares the kernel of each feature layer kind: the scalar reference kernels; for the Vector API
 * choice, {@link VectorConv2DKernel} (an exact float matrix product) and {@link VectorMaxPoolKernel};
 * for any other dense kernel choice, conv2d as {@link PatchConv2DKernel} on that dense kernel. All
 * give the same bytes. Kinds without a fast kernel run their reference kernels on every choice.
 */
public final class FeatureKernels {
    private static final String VECTOR_KERNELS = "org.edgeml.core.engine.VectorFeatureKernels";

    private FeatureKernels() {}

    /**
     * The feature kernels that go with a dense kernel choice: the references for {@code scalar}, the
     * Vector API feature kernels for {@code vector}, patches on its dense kernels otherwise.
     */
    public static Function<FeatureLayer, LayerKernel> forChoice(DenseKernels.Choice choice) {
        if (choice.name().equals(DenseKernels.SCALAR.name())) {
            return FeatureKernels::scalar;
        }
        if (choice.name().equals("vector") && DenseKernels.vectorAvailable()) {
            return FeatureKernels::vector;
        }
        return layer -> layer instanceof QuantizedConv2D conv ? new PatchConv2DKernel(conv, choice.factory()) : scalar(layer);
    }

    /**
     * The Vector API kernel for {@code layer} where its kind has one, else its reference kernel.
     * Reached by reflection, so this class links without the incubator module; call it only when
     * {@link DenseKernels#vectorAvailable()}.
     */
    public static LayerKernel vector(FeatureLayer layer) {
        LayerKernel fast;
        try {
            fast = (LayerKernel) VectorKernels.OF.invoke(null, layer);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return fast != null ? fast : scalar(layer);
    }

    /** Looked up on first use only: loading it needs the incubator module. */
    private static final class VectorKernels {
        static final java.lang.reflect.Method OF = lookUp();

        private static java.lang.reflect.Method lookUp() {
            try {
                java.lang.reflect.Method of = Class.forName(VECTOR_KERNELS).getDeclaredMethod("of", FeatureLayer.class);
                of.setAccessible(true);
                return of;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
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
