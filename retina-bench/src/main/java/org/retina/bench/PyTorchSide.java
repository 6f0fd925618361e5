package org.retina.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.retina.io.Json;

/** Runs {@code bench/pytorch/bench.py} for one group of measurements and reads its JSON. */
final class PyTorchSide {
    private final String python;
    private final Path script;
    private String engine = "PyTorch";
    private String device;
    private Map<String, Object> notes;

    PyTorchSide() {
        python = findPython();
        String home = System.getProperty("retina.home", ".");
        script = Path.of(home, "bench", "pytorch", "bench.py");
    }

    /** {@code $RETINA_PYTHON}, else the first of python3 and /usr/bin/python3 that imports torch. */
    private static String findPython() {
        String py = System.getenv("RETINA_PYTHON");
        if (py != null && !py.isBlank()) {
            return py;
        }
        for (String c : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(c, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return c;
                }
            } catch (IOException e) {
                // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "python3";
    }

    String engine() {
        return engine;
    }

    /** The GPU in words, as the script names it ({@code --device cuda}); else null. */
    String device() {
        return device;
    }

    /** The script's settings that bear on GPU figures (TF32, cuDNN benchmark mode, versions); else null. */
    Map<String, Object> notes() {
        return notes;
    }

    /** Whether the script is there. */
    boolean available() {
        return Files.isRegularFile(script);
    }

    @SuppressWarnings("unchecked")
    Map<String, Double> run(String group, int threads, double seconds, String onDevice, int inferBatch)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--json", "--threads",
                Integer.toString(threads), "--seconds", Double.toString(seconds), "--only", group));
        if (group.equals("warmup")) {
            cmd.addAll(List.of("--data", ColdRuns.data().toString()));
        }
        if (!onDevice.equals("cpu")) {
            cmd.addAll(List.of("--device", onDevice, "--infer-batch", Integer.toString(inferBatch)));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        // Debian's python3-torch finds an optimized BLAS only through the OpenBLAS folder
        Path openblas = Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp");
        if (System.getenv("LD_LIBRARY_PATH") == null && Files.isDirectory(openblas)) {
            pb.environment().put("LD_LIBRARY_PATH", openblas.toString());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("PyTorch side " + cmd + " failed with status " + p.exitValue());
        }
        String last = out.strip();
        last = last.substring(last.lastIndexOf('\n') + 1);
        Map<String, Object> m = Json.parseObject(last);
        engine = (String) m.get("engine");
        if (m.get("device") instanceof String d) {
            device = d;
        }
        if (m.get("notes") instanceof Map<?, ?> n) {
            notes = (Map<String, Object>) n;
        }
        Map<String, Double> r = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("results")).forEach((k, v) -> r.put(k, ((Number) v).doubleValue()));
        return r;
    }
}
