package org.edgeml.deploy.verify;

import java.time.Duration;

/**
 * Decides whether a restarted runtime came up with a model. {@link #arm} runs before anything changes (so
 * nothing the new process says is missed), {@link #beforeRestart} just before the service restart (the
 * runs seen until then belong to the old process), {@link #await} after it.
 */
public interface Verifier extends AutoCloseable {

    void arm();

    /** Notes the runs (boot ids) seen so far: none of them can be the new process. Call again before a second restart. */
    void beforeRestart();

    /**
     * {@code null} when a run not seen before {@link #beforeRestart} reported itself online with {@code modelId};
     * otherwise what went wrong.
     */
    String await(String modelId, Duration timeout);

    @Override
    default void close() {}
}
