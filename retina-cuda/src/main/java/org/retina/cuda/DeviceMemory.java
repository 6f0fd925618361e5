package org.retina.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator of device memory: freed blocks go back to a free list by size class and are handed out again,
 * so steady-state training calls {@code cudaMalloc} never. When the device runs out, cached blocks are released
 * and the allocation tried once more before failing with the sizes involved.
 */
final class DeviceMemory implements AutoCloseable {
    private final Cuda cuda;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private final Map<Long, Long> sizes = new HashMap<>();
    private long inUse;
    private long cached;
    private long peak;

    DeviceMemory(Cuda cuda) {
        this.cuda = cuda;
    }

    /** Blocks come in classes: 512-byte steps up to 1 MiB, then 2 MiB steps. */
    static long sizeClass(long bytes) {
        long b = Math.max(bytes, 1);
        return b <= (1 << 20) ? (b + 511) & ~511L : (b + (2 << 20) - 1) & ~((2L << 20) - 1);
    }

    /** A block of at least {@code bytes}. */
    long allocate(long bytes) {
        long size = sizeClass(bytes);
        ArrayDeque<Long> list = free.get(size);
        long ptr;
        if (list != null && !list.isEmpty()) {
            ptr = list.pop();
            cached -= size;
        } else {
            ptr = cuda.malloc(size);
            if (ptr == 0) {
                releaseCached();
                ptr = cuda.malloc(size);
            }
            if (ptr == 0) {
                long[] info = cuda.memInfo();
                throw new CudaException("out of device memory: " + size + " more bytes needed, " + info[0]
                        + " of " + info[1] + " free (Retina holds " + inUse + "); lower the batch size");
            }
        }
        sizes.put(ptr, size);
        inUse += size;
        peak = Math.max(peak, inUse);
        return ptr;
    }

    /** Returns a block to the cache; 0 is ignored. */
    void release(long ptr) {
        if (ptr == 0) {
            return;
        }
        Long size = sizes.remove(ptr);
        if (size == null) {
            throw new IllegalStateException("device block " + ptr + " released twice or never allocated");
        }
        inUse -= size;
        cached += size;
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(ptr);
    }

    private void releaseCached() {
        for (ArrayDeque<Long> list : free.values()) {
            for (long p : list) {
                cuda.free(p);
            }
        }
        free.clear();
        cached = 0;
    }

    /** The most bytes held at once. */
    long peak() {
        return peak;
    }

    @Override
    public void close() {
        releaseCached();
        for (long p : sizes.keySet()) {
            cuda.free(p);
        }
        sizes.clear();
        inUse = 0;
    }
}
