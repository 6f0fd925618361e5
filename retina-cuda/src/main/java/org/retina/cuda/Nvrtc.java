package org.retina.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** NVRTC, CUDA's run-time compiler: turns Retina's kernel source into a cubin for the device at hand. */
final class Nvrtc {
    private final MethodHandle create;
    private final MethodHandle compile;
    private final MethodHandle logSize;
    private final MethodHandle log;
    private final MethodHandle cubinSize;
    private final MethodHandle cubin;
    private final MethodHandle destroy;
    private final MethodHandle errorString;

    Nvrtc() {
        Native.Library lib = Native.open("NVRTC (CUDA's run-time compiler)", List.of("libnvrtc.so.13",
                "libnvrtc.so.12", "libnvrtc.so"));
        create = lib.handle("nvrtcCreateProgram", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        compile = lib.handle("nvrtcCompileProgram", JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS);
        logSize = lib.handle("nvrtcGetProgramLogSize", JAVA_INT, JAVA_LONG, ADDRESS);
        log = lib.handle("nvrtcGetProgramLog", JAVA_INT, JAVA_LONG, ADDRESS);
        cubinSize = lib.handle("nvrtcGetCUBINSize", JAVA_INT, JAVA_LONG, ADDRESS);
        cubin = lib.handle("nvrtcGetCUBIN", JAVA_INT, JAVA_LONG, ADDRESS);
        destroy = lib.handle("nvrtcDestroyProgram", JAVA_INT, ADDRESS);
        errorString = lib.handle("nvrtcGetErrorString", ADDRESS, JAVA_INT);
    }

    private void check(int status, String call) throws Throwable {
        if (status != 0) {
            String text = ((MemorySegment) errorString.invokeExact(status)).reinterpret(256).getString(0);
            throw new CudaException(call + " failed: " + text + " (" + status + ")");
        }
    }

    /** Compiles {@code source} for {@code sm_<arch>} and returns the cubin; a compile error carries NVRTC's log. */
    byte[] compile(String source, String name, int arch) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prog = a.allocate(ADDRESS);
            check((int) create.invokeExact(prog, a.allocateFrom(source), a.allocateFrom(name), 0,
                    MemorySegment.NULL, MemorySegment.NULL), "nvrtcCreateProgram");
            long p = prog.get(JAVA_LONG, 0);
            try {
                List<String> opts = List.of("--gpu-architecture=sm_" + arch, "--std=c++17", "-default-device");
                MemorySegment argv = a.allocate(ADDRESS, opts.size());
                for (int i = 0; i < opts.size(); i++) {
                    argv.setAtIndex(ADDRESS, i, a.allocateFrom(opts.get(i)));
                }
                int status = (int) compile.invokeExact(p, opts.size(), argv);
                if (status != 0) {
                    MemorySegment size = a.allocate(JAVA_LONG);
                    check((int) logSize.invokeExact(p, size), "nvrtcGetProgramLogSize");
                    MemorySegment text = a.allocate(Math.max(1, size.get(JAVA_LONG, 0)));
                    check((int) log.invokeExact(p, text), "nvrtcGetProgramLog");
                    throw new CudaException("compiling " + name + " for sm_" + arch + " failed:\n" + text.getString(0));
                }
                MemorySegment size = a.allocate(JAVA_LONG);
                check((int) cubinSize.invokeExact(p, size), "nvrtcGetCUBINSize");
                MemorySegment bin = a.allocate(size.get(JAVA_LONG, 0));
                check((int) cubin.invokeExact(p, bin), "nvrtcGetCUBIN");
                return bin.toArray(ValueLayout.JAVA_BYTE);
            } finally {
                MemorySegment pp = a.allocate(JAVA_LONG);
                pp.set(JAVA_LONG, 0, p);
                int ignored = (int) destroy.invokeExact(pp);
            }
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("NVRTC failed: " + t);
        }
    }
}
