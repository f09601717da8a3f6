package org.edgeml.trainer;

import java.util.Locale;

/**
 * What {@code --arch} chooses: dense layers from {@code --hidden} (the default), or the preset CNN, whose
 * layers are the {@code --layers} spec {@link #preset} (docs/training.md explains its recipe).
 */
public enum Architecture {
    DENSE(""),
    /**
     * conv 3x3x32, ReLU, max-pool 2, conv 3x3x64, ReLU, max-pool 2, dense 128, dropout, dense N. Batch
     * normalization after each convolution (folded into it when the model is written) lets it converge in
     * few epochs.
     */
    CNN("conv3x3:32,bn,maxpool2,conv3x3:64,bn,maxpool2,dense:128,dropout:0.3");

    /** The {@code --layers} spec of the architecture; empty for {@link #DENSE}. */
    public final String preset;

    Architecture(String preset) {
        this.preset = preset;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The names {@code --arch} takes, as help and shell completion list them. */
    public static final class Names implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(values()).map(Architecture::cliName).iterator();
        }
    }
}
