package org.retina.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.incubator.vector.FloatVector;

/** A one-line description of the machine: CPU model, cores, the widest vector the JVM uses. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String model = "unknown CPU";
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String l : lines) {
                if (l.startsWith("model name")) {
                    model = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux: keep the generic name
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors";
    }
}
