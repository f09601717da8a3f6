package org.edgeml.core.engine;

import java.lang.ref.WeakReference;

/**
 * {@code length} shorts stored from {@link #start()} in a slightly larger array, kept so that element
 * {@code start()} sits on an {@code alignment}-byte boundary. A vector load that straddles two cache
 * lines costs two, and a Java array starts wherever the allocator put it (16 bytes past an 8-byte
 * boundary, say): with 512-bit loads the fast kernel ran about 30% slower on most allocations. The
 * garbage collector may move the array later, so {@link #start()} looks again after every collection
 * and slides the data over when the alignment changed (a copy of the whole array, rare). Where
 * {@link ArrayAddresses} cannot tell addresses, the start stays put.
 *
 * <p>"After every collection": reading an address costs a native call (C2 does not inline an int read
 * of a reference slot), too much for every inference. A weak reference to an object nothing else
 * holds is cleared by the first collection that could have moved the array; only then is the address
 * read again.
 *
 * <p>Not thread-safe, like the kernel that owns it.
 */
final class AlignedShorts {
    private final short[] storage;
    private final Object[] holder;
    private final int length;
    private final int alignment;
    private int start;
    private WeakReference<Object> sinceLastCollection = new WeakReference<>(null);

    /** @param alignment a power of two, in bytes */
    AlignedShorts(int length, int alignment) {
        if (Integer.bitCount(alignment) != 1 || alignment < Short.BYTES) {
            throw new IllegalArgumentException("alignment must be a power of two of at least 2 bytes, got " + alignment);
        }
        this.length = length;
        this.alignment = alignment;
        this.storage = new short[length + alignment / Short.BYTES];
        this.holder = new Object[] {storage};
    }

    /** The array; the data are {@code array()[start() .. start() + length)}. */
    short[] array() {
        return storage;
    }

    int length() {
        return length;
    }

    /**
     * Where the data begin, aligned if addresses can be told. Call it before each use: the data may
     * have moved within the array since the last call.
     */
    int start() {
        if (sinceLastCollection.get() != null) {
            return start;
        }
        sinceLastCollection = new WeakReference<>(new Object());
        long address = ArrayAddresses.shortsAddress(holder);
        if (address >= 0) {
            // The one start in [0, alignment / 2) whose address is a multiple of alignment.
            int aligned = (int) ((-address & (alignment - 1)) / Short.BYTES);
            if (aligned != start) {
                System.arraycopy(storage, start, storage, aligned, length);
                start = aligned;
            }
        }
        return start;
    }
}
