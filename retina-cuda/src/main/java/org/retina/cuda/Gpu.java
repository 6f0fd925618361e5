package org.retina.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.retina.kernel.Engine;

/**
 * One GPU as an engine uses it: a stream that orders all work, cuBLAS and cuDNN handles on it, the kernels, the
 * caching allocator, a shared workspace, and page-locked staging memory for the copies at the edges.
 */
final class Gpu implements AutoCloseable {
    /** Floats one host thread copies at a time in a large upload (4 MiB). */
    private static final int PIECE = 1 << 20;
    final Cuda cuda;
    final CuDnn dnn;
    final CuBlas blas;
    final long stream;
    final long dnnHandle;
    final long blasHandle;
    final Kernels kernels;
    final DeviceMemory memory;
    /** Whether convolutions may use TF32 tensor cores (PyTorch's default for cuDNN); products stay FP32. */
    final boolean tf32;
    final String name;
    private final Arena arena = Arena.ofShared();
    /** Host addresses of the constants 1.0f and 0.0f, for alpha and beta arguments. */
    final long one;
    final long zero;
    private MemorySegment staging;
    private long workspace;
    private long workspaceBytes;

    Gpu(int device, boolean tf32) {
        cuda = Cuda.get();
        cuda.setDevice(device);
        name = cuda.deviceName(device);
        int arch = cuda.attribute(75, device) * 10 + cuda.attribute(76, device);
        int sms = cuda.attribute(16, device);
        stream = cuda.streamCreate();
        dnn = CuDnn.get();
        blas = CuBlas.get();
        dnnHandle = dnn.create(stream);
        blasHandle = blas.create(stream, CuBlas.DEFAULT_MATH);
        kernels = new Kernels(cuda, stream, arch, sms);
        memory = new DeviceMemory(cuda);
        this.tf32 = tf32;
        MemorySegment c = arena.allocate(8, 8);
        c.set(JAVA_FLOAT, 0, 1f);
        c.set(JAVA_FLOAT, 4, 0f);
        one = c.address();
        zero = c.address() + 4;
        staging = cuda.mallocHost(1 << 20);
    }

    /** Page-locked host memory of at least {@code bytes}; its content is lost when it grows. */
    MemorySegment staging(long bytes) {
        if (staging.byteSize() < bytes) {
            cuda.synchronize(stream);
            cuda.freeHost(staging);
            staging = cuda.mallocHost(Math.max(bytes, staging.byteSize() * 2));
        }
        return staging;
    }

    /** A workspace of at least {@code bytes} for cuDNN; the old one is given back when it grows. */
    long workspace(long bytes) {
        if (bytes > workspaceBytes) {
            cuda.synchronize(stream);
            memory.release(workspace);
            workspace = memory.allocate(bytes);
            workspaceBytes = bytes;
        }
        return workspace;
    }

    long workspaceBytes() {
        return workspaceBytes;
    }

    void sync() {
        cuda.synchronize(stream);
    }

    /**
     * Copies {@code count} floats of {@code src} from {@code offset} to the device, waiting until done. A large
     * array goes in groups: the host's threads copy one group into page-locked memory while the previous group
     * travels to the device, so neither the single-threaded host copy nor the transfer sets the pace alone.
     */
    void upload(float[] src, int offset, int count, long dst) {
        MemorySegment s = staging(4L * count);
        if (count < 4 * PIECE) {
            MemorySegment.copy(src, offset, s, JAVA_FLOAT, 0, count);
            cuda.memcpyAsync(dst, s.address(), 4L * count, Cuda.H2D, stream);
            sync();
            return;
        }
        Engine cpu = Engine.current();
        int group = PIECE * Math.max(2, cpu.threads());
        for (int from = 0; from < count; from += group) {
            int start = from;
            int len = Math.min(group, count - from);
            cpu.parallelFor((len + PIECE - 1) / PIECE, (chunk, a, b) -> {
                for (int piece = a; piece < b; piece++) {
                    int o = start + piece * PIECE;
                    int n = Math.min(PIECE, start + len - o);
                    MemorySegment.copy(src, offset + o, s, JAVA_FLOAT, 4L * o, n);
                }
            });
            cuda.memcpyAsync(dst + 4L * start, s.address() + 4L * start, 4L * len, Cuda.H2D, stream);
        }
        sync();
    }

    void upload(int[] src, long dst) {
        MemorySegment s = staging(4L * src.length);
        MemorySegment.copy(src, 0, s, JAVA_INT, 0, src.length);
        cuda.memcpyAsync(dst, s.address(), 4L * src.length, Cuda.H2D, stream);
        sync();
    }

    /** Copies {@code count} floats from the device into {@code dst} at {@code offset}, after all queued work. */
    void download(long src, float[] dst, int offset, int count) {
        MemorySegment s = staging(4L * count);
        cuda.memcpyAsync(s.address(), src, 4L * count, Cuda.D2H, stream);
        sync();
        MemorySegment.copy(s, JAVA_FLOAT, 0, dst, offset, count);
    }

    /** One double from the device, after all queued work. */
    double downloadDouble(long src) {
        MemorySegment s = staging(8);
        cuda.memcpyAsync(s.address(), src, 8, Cuda.D2H, stream);
        sync();
        return s.get(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0);
    }

    void download(long src, int[] dst, int count) {
        MemorySegment s = staging(4L * count);
        cuda.memcpyAsync(s.address(), src, 4L * count, Cuda.D2H, stream);
        sync();
        MemorySegment.copy(s, JAVA_INT, 0, dst, 0, count);
    }

    void copy(long dst, long src, long floats) {
        cuda.memcpyAsync(dst, src, 4 * floats, Cuda.D2D, stream);
    }

    void zero(long dst, long floats) {
        cuda.memsetAsync(dst, 0, 4 * floats, stream);
    }

    /** {@code dst = src} or, with {@code acc}, {@code dst += src}. */
    void copyOrAdd(long dst, long src, long floats, boolean acc) {
        if (acc) {
            kernels.run("add_into", floats, dst, src, floats);
        } else {
            copy(dst, src, floats);
        }
    }

    @Override
    public void close() {
        sync();
        memory.release(workspace);
        workspace = 0;
        workspaceBytes = 0;
        memory.close();
        cuda.freeHost(staging);
        kernels.close();
        blas.destroy(blasHandle);
        dnn.destroy(dnnHandle);
        cuda.streamDestroy(stream);
        arena.close();
    }
}
