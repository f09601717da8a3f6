package org.edgeml.deploy.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A shell on one device. Implementations report connection problems (unreachable host, refused host key,
 * refused login) as {@link org.edgeml.core.EdgemlException} with one line naming the fix; a script that
 * ran and failed is an ordinary {@link RemoteResult} with a non-zero status.
 */
public interface RemoteShell extends AutoCloseable {

    /** Runs a POSIX sh script (fed on stdin to {@code sh -s}) with arguments, as root via {@code sudo -n} if asked. */
    RemoteResult run(String script, List<String> args, boolean sudo, Duration timeout);

    /**
     * Starts a POSIX sh script that keeps running until the returned handle is closed (its stdin is kept
     * open); returns once the script printed the line {@code ready}, or ended without it (then the handle
     * holds what it said).
     */
    HeldScript hold(String script, List<String> args, boolean sudo, String ready, Duration timeout);

    /**
     * Copies a local file to {@code remotePath} with the given octal mode, and checks on the device that the
     * copy's SHA-256 is {@code sha256}; any failure (dropped connection, short copy, mismatch) throws.
     */
    void upload(Path local, String remotePath, String mode, String sha256, Duration timeout);

    /** The target as the user wrote it, for messages. */
    String name();

    /** Ends the connection, if one is kept open. */
    @Override
    void close();
}
