package org.retina.cuda;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds and opens the CUDA libraries at run time, and makes downcall handles for the functions Retina uses.
 * Folders searched, in order: {@code RETINA_CUDA_LIBS} (a path list), {@code LD_LIBRARY_PATH}, {@code CUDA_HOME}
 * and the usual CUDA installs, the system library folders, and the {@code nvidia/*}{@code /lib} folders of Python
 * wheels (PyTorch's CUDA libraries) under the usual site-packages folders.
 */
final class Native {
    private static final Linker LINKER = Linker.nativeLinker();

    /** One opened library. */
    record Library(String name, Path path, SymbolLookup lookup) {
        MethodHandle handle(String function, MemoryLayout result, MemoryLayout... args) {
            var symbol = lookup.find(function).orElseThrow(() -> new CudaException(path + " has no function "
                    + function + " (a library too old for Retina?)"));
            FunctionDescriptor fd = result == null ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(result, args);
            return LINKER.downcallHandle(symbol, fd);
        }
    }

    private Native() {
    }

    /** The folders searched, in order, without duplicates. */
    static List<Path> searchPath() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String env : List.of("RETINA_CUDA_LIBS", "LD_LIBRARY_PATH")) {
            String v = System.getenv(env);
            if (v != null) {
                for (String d : v.split(":")) {
                    if (!d.isBlank()) {
                        dirs.add(Path.of(d));
                    }
                }
            }
        }
        String home = System.getenv("CUDA_HOME");
        if (home != null && !home.isBlank()) {
            dirs.add(Path.of(home, "lib64"));
            dirs.add(Path.of(home, "targets", "x86_64-linux", "lib"));
        }
        for (String d : List.of("/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib",
                "/usr/local/cuda/targets/sbsa-linux/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                "/usr/lib64", "/usr/lib", "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib")) {
            dirs.add(Path.of(d));
        }
        for (Path site : sitePackages()) {
            for (Path lib : children(site.resolve("nvidia"))) {
                dirs.add(lib.resolve("lib"));
            }
        }
        return dirs.stream().filter(Files::isDirectory).toList();
    }

    private static List<Path> sitePackages() {
        List<Path> out = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(Path.of("/usr/lib"), Path.of("/usr/local/lib")));
        String venv = System.getenv("VIRTUAL_ENV");
        if (venv != null) {
            roots.add(Path.of(venv, "lib"));
        }
        String user = System.getProperty("user.home");
        if (user != null) {
            roots.add(Path.of(user, ".local", "lib"));
        }
        for (Path opt : children(Path.of("/opt"))) {
            roots.add(opt.resolve(".venv").resolve("lib"));
        }
        for (Path r : roots) {
            for (Path py : children(r)) {
                if (py.getFileName().toString().startsWith("python3")) {
                    out.add(py.resolve("site-packages"));
                    out.add(py.resolve("dist-packages"));
                }
            }
        }
        return out;
    }

    private static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException | SecurityException e) {
            // an unreadable folder is one place fewer to look
        }
        out.sort(null);
        return out;
    }

    /**
     * Opens the first of {@code names} (sonames such as {@code libcudart.so.13}) found in the search path.
     *
     * @throws CudaException naming the library and the folders searched when none is found
     */
    static Library open(String what, List<String> names) {
        List<Path> dirs = searchPath();
        for (String n : names) {
            for (Path d : dirs) {
                Path p = d.resolve(n);
                if (Files.isRegularFile(p)) {
                    try {
                        return new Library(n, p, SymbolLookup.libraryLookup(p, Arena.global()));
                    } catch (IllegalArgumentException e) {
                        throw new CudaException(what + ": " + p + " could not be loaded: " + e.getMessage());
                    }
                }
            }
        }
        throw new CudaException(what + " was not found: looked for " + names + " in " + dirs
                + "; install the CUDA toolkit (or PyTorch's CUDA wheels) or set RETINA_CUDA_LIBS to the folder");
    }
}
