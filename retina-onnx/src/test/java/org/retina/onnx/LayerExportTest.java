package org.retina.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Layer;
import org.retina.nn.Mode;
import org.retina.tensor.Rng;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;
import org.retina.testing.Golden;
import org.retina.testing.LayerCases;
import org.retina.testing.MergeCases;

/**
 * Every layer case of {@link LayerCases} and every merge case, exported alone to ONNX and run in ONNX Runtime:
 * the same outputs as Retina's evaluation forward, and back through the importer the same again. The few
 * settings ONNX cannot express are refused with a message naming the layer and the reason.
 */
class LayerExportTest {
    /** Cases whose settings have no ONNX equivalent, with a fragment of the expected refusal. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("locally connected", "has no ONNX equivalent"),
            Map.entry("lppool p1 k2x3", "even p only"),
            Map.entry("lppool p2 k3 s2 ceil hanging", "scales as if full"),
            Map.entry("gausspool k3 s2 ceil hanging", "renormalized edge windows"),
            Map.entry("lrn size 2 alpha 2 k 1.5", "even size"),
            Map.entry("softplus beta 2 threshold 1", "makes it linear"));
    /** Cases ONNX Runtime runs but whose weights are parameters the importer maps to another layer type. */
    private static final Set<String> NOT_REIMPORTED = Set.of("gausspool");

    static Stream<LayerCases.Case> cases() {
        return LayerCases.all().stream();
    }

    static Stream<MergeCases.Case> merges() {
        return MergeCases.all().stream();
    }

    private static String refusal(String name) {
        return REFUSED.entrySet().stream().filter(e -> name.startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void layerRunsInOnnxRuntime(LayerCases.Case c) {
        Rng rng = new Rng(11);
        Layer layer = c.layer().get();
        Model m = Sequential.builder().add("layer", layer).build().build(c.input(), 5);
        // non-default parameters, so a weight that went to the wrong place shows
        m.namedParameters().values().forEach(p -> p.value().copyFrom(GradientCheck.random(p.value(), rng)));
        m.namedBuffers().values().forEach(p -> p.value().copyFrom(GradientCheck.random(p.value(), rng)));
        m.namedBuffers().forEach((k, p) -> {
            if (k.endsWith("running_var")) {
                p.value().fill(1.5f);
            }
        });
        String refused = refusal(c.name());
        if (refused != null) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(m, Map.of()));
            assertTrue(e.getMessage().contains(refused) && e.getMessage().contains("'layer'"), e.getMessage());
            return;
        }
        check(c.name(), m, GradientCheck.random(Tensor.zeros(c.input().withBatch(3)), rng),
                NOT_REIMPORTED.stream().noneMatch(c.name()::startsWith));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("merges")
    void mergeRunsInOnnxRuntime(MergeCases.Case c) {
        Graph.Builder g = Graph.builder();
        String[] branches = new String[c.inputs().size()];
        for (int i = 0; i < branches.length; i++) {
            // each branch turns the common input into the merge's i-th input shape
            int[] dims = c.inputs().get(i).dims();
            branches[i] = g.add("branch" + i, org.retina.nn.Dense.of(c.inputs().get(i).size()), Model.INPUT);
            branches[i] = g.add("view" + i, org.retina.nn.Reshape.of(dims), branches[i]);
        }
        g.add("merge", c.merge().get(), branches);
        Model m = g.build("merge").build(org.retina.tensor.Shape.of(4), 3);
        check(c.name(), m, GradientCheck.random(Tensor.zeros(4, 4), new Rng(12)), true);
    }

    static void check(String name, Model m, Tensor x, boolean reimport) {
        Tensor expected = m.forward(x, Mode.EVAL);
        byte[] onnx = Onnx.toBytes(m, Map.of());
        double atol = 1e-5 * Ort.maxAbs(expected) + 1e-7;
        Golden.assertClose(name + " in ONNX Runtime", expected, Ort.run(onnx, x), 1e-5, atol);
        if (reimport) {
            Model back = Onnx.read(onnx, name).model();
            Golden.assertClose(name + " re-imported", expected, back.forward(x, Mode.EVAL), 1e-5, atol);
        }
    }
}
