package org.edgeml.importer;

import org.edgeml.core.EdgemlException;

/** A model edgeml cannot import as it is: one line naming the node or layer and what edgeml supports; exit 2. */
public final class ImportException extends EdgemlException {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A refusal about one node of the graph: {@code node 'NAME' (OP): WHAT}. */
    public static ImportException at(String node, String op, String what) {
        return new ImportException("node '" + node + "' (" + op + "): " + what);
    }
}
