package org.edgeml.core.model;

/** A pool over a sliding {@link Window} (max or average): one output per window position and channel. */
public sealed interface WindowPool extends PoolingLayer permits MaxPool2D, AveragePool2D {
    Window window();

    @Override
    default Shape inputShape() {
        return window().input();
    }

    @Override
    default Shape outputShape() {
        return window().output(window().input().channels());
    }
}
