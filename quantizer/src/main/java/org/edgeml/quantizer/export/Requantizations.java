package org.edgeml.quantizer.export;

import java.util.Locale;
import org.edgeml.core.model.Requantization;

/**
 * The C tables and the {@code edgeml_requantization} initializer of one layer's {@link Requantization}
 * (per output channel: Q31 multiplier, shift; the activation table when the activation needs one), the
 * same for dense, conv2d and depthwise conv2d layers.
 */
final class Requantizations {
    private Requantizations() {}

    /** Writes {@code <prefix>multiplier}, {@code <prefix>shift} and, when needed, {@code <prefix>lookup_table}. */
    static void tables(CCode c, String prefix, String channels, Requantization r) {
        c.int32Array(prefix + "multiplier", channels, r.multiplier(), "EDGEML_TABLE_ATTR");
        byte[] shifts = new byte[r.channels()];
        for (int o = 0; o < shifts.length; o++) {
            shifts[o] = (byte) r.shift()[o];
        }
        c.int8Array(prefix + "shift", channels, shifts, shifts.length, null, "EDGEML_TABLE_ATTR");
        if (r.lookupTable() != null) {
            c.line(String.format(Locale.ROOT, "/* %s of the pre-activation (scale %s, zero point %d) at index v + 128. */",
                    r.activation().cliName(), r.preActivation().scale(), r.preActivation().zeroPoint()));
            c.int8Array(prefix + "lookup_table", "256", r.lookupTable(), 256, null, "EDGEML_TABLE_ATTR");
        }
    }

    /** {@code {multiplier, shift, lookup_table, zero_point, clamp_min, clamp_max}} for the tables {@link #tables} wrote. */
    static String initializer(String prefix, Requantization r) {
        return "{" + prefix + "multiplier, " + prefix + "shift, " + (r.lookupTable() != null ? prefix + "lookup_table" : "NULL")
                + ", " + r.preActivation().zeroPoint() + ", " + r.clampMin() + ", " + r.clampMax() + "}";
    }

    /** Constant table bytes: 4-byte multiplier and 1-byte shift per channel, 256 for an activation table. */
    static long tableBytes(Requantization r) {
        return 5L * r.channels() + (r.lookupTable() != null ? 256 : 0);
    }
}
