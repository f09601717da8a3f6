package org.edgeml.deploy.verify;

import java.time.Duration;

/**
 * Decides whether the restarted runtime came up with the new model. {@link #arm} runs before the restart (so
 * nothing the new process says is missed), {@link #await} after it.
 */
public interface Verifier extends AutoCloseable {

    void arm();

    /** {@code null} when the runtime reported itself online with {@code modelId}; otherwise what went wrong. */
    String await(String modelId, Duration timeout);

    @Override
    default void close() {}
}
