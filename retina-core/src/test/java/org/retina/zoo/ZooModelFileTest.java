package org.retina.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.io.ModelFile;
import org.retina.model.Graph;
import org.retina.model.Model;
import org.retina.nn.Mode;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

/** Zoo models, with their dotted torchvision names, merges and fit modes, survive a model file unchanged. */
class ZooModelFileTest {

    private static void assertRoundTrip(Model m, Path file) throws IOException {
        m.forward(GradientCheck.random(Tensor.zeros(m.inputShape().withBatch(4)), new Rng(1)), Mode.TRAIN);
        ModelFile.save(file, m, Map.of());
        Model back = ModelFile.load(file);
        assertEquals(m.names(), back.names());
        assertEquals(m.namedParameters().keySet(), back.namedParameters().keySet());
        Tensor x = GradientCheck.random(Tensor.zeros(m.inputShape().withBatch(2)), new Rng(2));
        assertArrayEquals(m.forward(x, Mode.EVAL).data(), back.forward(x, Mode.EVAL).data());
    }

    @Test
    void sequentialZooModel(@TempDir Path dir) throws IOException {
        assertRoundTrip(Zoo.create("lenet5", 10), dir.resolve("lenet5.retina"));
    }

    @Test
    void graphOfResidualAndInceptionBlocks(@TempDir Path dir) throws IOException {
        Graph.Builder g = Graph.builder();
        String x = ResNet.basicBlock(g, "layer1.0", Model.INPUT, 3, 4, 2);
        x = GoogLeNet.inception(g, "inception3a", x, 2, 2, 3, 1, 2, 2);
        Model m = g.build(x).build(Shape.of(3, 7, 7), 5);
        assertRoundTrip(m, dir.resolve("blocks.retina"));
    }
}
