package org.edgeml.host.floatmodel;

/** Length and value checks shared by the float layers' constructors. */
final class FloatArrays {
    private FloatArrays() {}

    static void requireLength(String what, float[] values, long expected) {
        if (values.length != expected) {
            throw new IllegalArgumentException(what + " hold " + values.length + " values, expected " + expected);
        }
    }
}
