package org.edgeml.host.floatmodel;

import org.edgeml.core.model.Activation;
import org.edgeml.core.model.Shape;

/**
 * A layer of a float model's feature stack, the part before its dense layers (convolutions, pools,
 * flatten), working on NHWC activations of batch 1: the value at row {@code y}, column {@code x},
 * channel {@code c} of an {@code H x W x C} activation is at {@code (y*W + x)*C + c}. Each kind mirrors
 * the int8 layer of the same name in core ({@code org.edgeml.core.model}) and validates itself.
 */
public sealed interface FloatFeatureLayer
        permits Conv2DLayer, DepthwiseConv2DLayer, MaxPoolLayer, AveragePoolLayer, GlobalAveragePoolLayer, FlattenLayer {
    Shape inputShape();

    Shape outputShape();

    /** The activation applied after {@link #linear}; {@code IDENTITY} for pools and flatten. */
    Activation activation();

    /** The layer's output before its activation; {@code x} holds {@code inputShape().size()} values. */
    float[] linear(float[] x);

    /** The number of trained values (weights and biases). */
    long parameterCount();

    /** The kind's name in model.json, messages and docs, e.g. {@code conv2d}. */
    String kind();
}
