package org.edgeml.core.engine;

import java.lang.reflect.Field;

/**
 * Where the JVM has put an array, read through {@code sun.misc.Unsafe} (module {@code jdk.unsupported}),
 * for one purpose: keeping the fast kernel's weight loads on cache-line boundaries. Nothing computed
 * from an address affects a result, only speed, so every doubt answers "unknown" ({@code -1}).
 *
 * <p>With compressed references (heaps under 32 GB) a reference is {@code base + (narrow << shift)};
 * the base is page-aligned, so {@code narrow << shift} gives the address modulo any cache line, and the
 * shift is found once by allocating two small arrays back to back (bump-pointer allocation puts them
 * one object size apart). Unknown on JDK 24 and later, which warn on {@code Unsafe} memory access,
 * and whenever the probe is not conclusive.
 */
final class ArrayAddresses {
    private static final sun.misc.Unsafe UNSAFE;
    private static final long REFERENCE_SLOT;
    private static final boolean COMPRESSED;
    /** -1 when addresses cannot be told. */
    private static final int SHIFT;
    private static final long SHORTS_BASE;

    static {
        sun.misc.Unsafe unsafe = null;
        long slot = 0;
        long shortsBase = 0;
        boolean compressed = false;
        int shift = -1;
        try {
            if (Runtime.version().feature() < 24) {
                Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                unsafe = (sun.misc.Unsafe) field.get(null);
                slot = unsafe.arrayBaseOffset(Object[].class);
                shortsBase = unsafe.arrayBaseOffset(short[].class);
                compressed = unsafe.arrayIndexScale(Object[].class) == 4;
                shift = compressed ? probeShift(unsafe, slot) : 0;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            shift = -1;
        }
        UNSAFE = shift < 0 ? null : unsafe;
        REFERENCE_SLOT = slot;
        COMPRESSED = compressed;
        SHIFT = shift;
        SHORTS_BASE = shortsBase;
    }

    private ArrayAddresses() {}

    /** Whether {@link #address} can tell addresses in this JVM. */
    static boolean known() {
        return UNSAFE != null;
    }

    /**
     * The address of element 0 of the {@code short[]} that {@code holder[0]} refers to, or -1 when
     * unknown. The garbage collector may move the array at any safepoint, so this is a hint for the
     * next moment only.
     */
    static long shortsAddress(Object[] holder) {
        if (UNSAFE == null || !(holder[0] instanceof short[])) {
            return -1;
        }
        long reference = COMPRESSED
                ? (UNSAFE.getInt(holder, REFERENCE_SLOT) & 0xFFFF_FFFFL) << SHIFT
                : UNSAFE.getLong(holder, REFERENCE_SLOT);
        return reference + SHORTS_BASE;
    }

    /**
     * The compressed-reference shift: two {@code long[1]} allocated one after the other lie one object
     * size apart, so their narrow references differ by that size shifted right by the shift. Several
     * tries, since a thread-local allocation buffer may end between the two.
     */
    private static int probeShift(sun.misc.Unsafe unsafe, long slot) {
        long objectSize = unsafe.arrayBaseOffset(long[].class) + Long.BYTES;
        Object[] holder = new Object[1];
        for (int attempt = 0; attempt < 16; attempt++) {
            long[] first = new long[1];
            long[] second = new long[1];
            holder[0] = first;
            long a = unsafe.getInt(holder, slot) & 0xFFFF_FFFFL;
            holder[0] = second;
            long b = unsafe.getInt(holder, slot) & 0xFFFF_FFFFL;
            if (b - a == objectSize) {
                return 0;
            }
            if (objectSize % 8 == 0 && b - a == objectSize >> 3) {
                return 3;
            }
        }
        return -1;
    }
}
