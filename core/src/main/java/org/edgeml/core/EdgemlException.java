package org.edgeml.core;

/**
 * A failure the user can act on: the message is one line that names the problem and the fix, and the
 * exit code is what the command line returns (2 for bad input or usage, 1 for a failed gate, 3 for a
 * model that fails its own golden vectors).
 */
public class EdgemlException extends RuntimeException {
    public static final int EXIT_GATE_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_MODEL_REFUSED = 3;

    private final int exitCode;

    public EdgemlException(String message) {
        this(message, EXIT_BAD_INPUT, null);
    }

    public EdgemlException(String message, Throwable cause) {
        this(message, EXIT_BAD_INPUT, cause);
    }

    public EdgemlException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
