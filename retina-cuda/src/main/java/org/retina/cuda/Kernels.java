package org.retina.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retina's own kernels ({@code kernels.cu}), compiled once per process by NVRTC for the device's architecture, and
 * launched through the driver with arguments packed into a reused native buffer.
 */
final class Kernels implements AutoCloseable {
    static final int BLOCK = 256;
    private static final int MAX_ARGS = 24;
    private static final Map<Integer, byte[]> CUBINS = new HashMap<>();

    private final Cuda cuda;
    private final long stream;
    private final Map<String, Long> functions = new HashMap<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment values = arena.allocate(8L * MAX_ARGS, 8);
    private final MemorySegment pointers = arena.allocate(8L * MAX_ARGS, 8);
    private final int maxGrid;
    private final long module;

    Kernels(Cuda cuda, long stream, int arch, int multiprocessors) {
        this.cuda = cuda;
        this.stream = stream;
        this.maxGrid = Math.max(1, multiprocessors) * 32;
        String source = source();
        byte[] cubin;
        synchronized (CUBINS) {
            cubin = CUBINS.computeIfAbsent(arch, a -> new Nvrtc().compile(source, "kernels.cu", a));
        }
        module = cuda.loadModule(cubin);
        Matcher m = Pattern.compile("__global__ void (\\w+)\\(").matcher(source);
        while (m.find()) {
            functions.put(m.group(1), cuda.function(module, m.group(1)));
        }
        for (int i = 0; i < MAX_ARGS; i++) {
            pointers.setAtIndex(JAVA_LONG, i, values.address() + 8L * i);
        }
    }

    private static String source() {
        try (InputStream in = Kernels.class.getResourceAsStream("kernels.cu")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the kernel source is missing from the jar", e);
        }
    }

    /** Blocks for a grid-stride loop over {@code n} elements. */
    int gridFor(long n) {
        return (int) Math.max(1, Math.min(maxGrid, (n + BLOCK - 1) / BLOCK));
    }

    /** Blocks for one warp per row. */
    static int warpGrid(int rows) {
        return (int) ((rows * 32L + BLOCK - 1) / BLOCK);
    }

    /** Launches {@code name} over a grid-stride loop of {@code n} elements. */
    void run(String name, long n, Object... args) {
        launch(name, gridFor(n), BLOCK, args);
    }

    /**
     * Launches {@code name} with {@code grid} blocks of {@code block} threads. Arguments: {@code Long} (pointers,
     * 64-bit counts), {@code Integer}, {@code Float}, {@code Double}, each as the kernel declares it.
     */
    void launch(String name, int grid, int block, Object... args) {
        Long f = functions.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no kernel named " + name);
        }
        for (int i = 0; i < args.length; i++) {
            long off = 8L * i;
            switch (args[i]) {
                case Long v -> values.set(JAVA_LONG, off, v);
                case Integer v -> values.set(JAVA_INT, off, v);
                case Float v -> values.set(JAVA_FLOAT, off, v);
                case Double v -> values.set(JAVA_DOUBLE, off, v);
                default -> throw new IllegalArgumentException("kernel argument " + args[i]);
            }
        }
        cuda.launch(f, grid, block, 0, stream, pointers.address(), name);
    }

    @Override
    public void close() {
        cuda.unloadModule(module);
        arena.close();
    }
}
