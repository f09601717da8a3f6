package org.edgeml.core.model;

import org.edgeml.core.EdgemlException;

/** A model file that cannot be read: corrupt, truncated, from a newer edgeml, or not a model at all. */
public class ModelFormatException extends EdgemlException {
    public ModelFormatException(String message) {
        super(message, EXIT_BAD_INPUT, null);
    }
}
