package org.retina.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.retina.data.format.Npy;
import org.retina.io.Json;
import org.retina.tensor.Tensor;

/** One PyTorch reference case of {@code golden/}: its settings, arrays and tolerances. */
public final class Golden {
    private final String name;
    private final Path dir;
    private final Map<String, Object> spec;

    private Golden(String name, Path dir, Map<String, Object> spec) {
        this.name = name;
        this.dir = dir;
        this.spec = spec;
    }

    public static Golden load(String name) {
        Path dir = TestData.golden().resolve(name);
        try {
            return new Golden(name, dir, Json.parseObject(Files.readString(dir.resolve("case.json"))));
        } catch (IOException e) {
            throw new UncheckedIOException("golden case " + name, e);
        }
    }

    /** Every case name in the manifest with the given op. */
    @SuppressWarnings("unchecked")
    public static List<String> casesOf(String op) {
        try {
            Map<String, Object> m = Json.parseObject(Files.readString(TestData.golden().resolve("MANIFEST.json")));
            return ((List<Map<String, Object>>) m.get("cases")).stream()
                    .filter(c -> op.equals(c.get("op"))).map(c -> (String) c.get("name")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> params() {
        return (Map<String, Object>) spec.get("params");
    }

    public int[] intPair(String key) {
        List<?> l = (List<?>) params().get(key);
        return new int[] {((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue()};
    }

    public double number(String key) {
        return ((Number) params().get(key)).doubleValue();
    }

    public Tensor tensor(String array) {
        try {
            return Npy.readTensor(dir.resolve(array + ".npy"));
        } catch (IOException e) {
            throw new UncheckedIOException("golden " + name + "/" + array, e);
        }
    }

    public int[] ints(String array) {
        try {
            return Npy.read(dir.resolve(array + ".npy")).toInts(array);
        } catch (IOException e) {
            throw new UncheckedIOException("golden " + name + "/" + array, e);
        }
    }

    public double rtol() {
        return ((Number) spec.get("rtol")).doubleValue();
    }

    @SuppressWarnings("unchecked")
    public double atol(String output) {
        Map<String, Object> per = (Map<String, Object>) spec.get("atol_per_output");
        Object v = per == null ? null : per.get(output);
        return ((Number) (v != null ? v : spec.get("atol"))).doubleValue();
    }

    /** Asserts {@code |got - ref| <= atol + rtol*|ref|} elementwise, with the case's tolerances for {@code output}. */
    public void check(String output, Tensor got) {
        Tensor ref = tensor(output);
        assertClose(name + "/" + output, ref, got, rtol(), atol(output));
    }

    /** The comparison of golden tests; a failure prints the first five bad pairs and the max difference. */
    public static void assertClose(String what, Tensor ref, Tensor got, double rtol, double atol) {
        if (!ref.shape().equals(got.shape())) {
            fail(what + ": shape " + got.shape() + ", expected " + ref.shape());
        }
        float[] r = ref.data();
        float[] g = got.data();
        StringBuilder bad = new StringBuilder();
        int count = 0;
        double maxDiff = 0;
        for (int i = 0; i < r.length; i++) {
            double d = Math.abs((double) g[i] - r[i]);
            if (!(d <= atol + rtol * Math.abs(r[i]))) {
                if (count < 5) {
                    bad.append(String.format("%n  [%d] got %.9g expected %.9g (diff %.3g)", i, g[i], r[i], d));
                }
                count++;
            }
            if (!(d <= maxDiff)) {
                maxDiff = Double.isNaN(d) ? Double.NaN : d;
            }
        }
        if (count > 0) {
            fail(String.format("%s: %d of %d values off (rtol %.1g, atol %.1g), max difference %.3g:%s", what, count,
                    r.length, rtol, atol, maxDiff, bad));
        }
    }
}
