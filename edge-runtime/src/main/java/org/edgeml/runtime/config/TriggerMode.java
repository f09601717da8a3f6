package org.edgeml.runtime.config;

/** When the runtime captures a frame. */
public enum TriggerMode {
    /** Every frame the source delivers (bounded by {@code --fps}). */
    CONTINUOUS,
    /** One frame per press of the {@code --button} GPIO. */
    BUTTON
}
