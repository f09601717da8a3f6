package org.edgeml.core.engine;

import org.edgeml.core.model.Window;

/** A {@link Window}'s numbers as plain fields, computed once when a kernel is prepared. */
final class WindowGeometry {
    final int inputHeight;
    final int inputWidth;
    final int inputChannels;
    final int kernelHeight;
    final int kernelWidth;
    final int strideHeight;
    final int strideWidth;
    final int padTop;
    final int padLeft;
    final int outputHeight;
    final int outputWidth;

    WindowGeometry(Window w) {
        inputHeight = w.input().height();
        inputWidth = w.input().width();
        inputChannels = w.input().channels();
        kernelHeight = w.kernelHeight();
        kernelWidth = w.kernelWidth();
        strideHeight = w.strideHeight();
        strideWidth = w.strideWidth();
        padTop = w.padTop();
        padLeft = w.padLeft();
        outputHeight = w.outputHeight();
        outputWidth = w.outputWidth();
    }
}
