package org.retina.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.retina.data.Dataset;
import org.retina.data.Relabel;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.Conv2d;
import org.retina.nn.Softmax;
import org.retina.tensor.Parameter;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.zoo.ResNet;
import org.retina.zoo.Zoo;

/** A new head keeps the names and copies every other weight; freezing leaves only the head trainable; relabelling. */
class FineTuneTest {

    @Test
    void replaceHeadOfAGraph() {
        Model base = ResNet.resnet18(10, 32).build(1);
        assertEquals("fc", FineTune.head(base));
        Model tuned = FineTune.replaceHead(base, 3, 2);
        assertEquals(base.names(), tuned.names());
        assertEquals(Shape.of(3), tuned.outputShape());
        assertEquals(Shape.of(10), base.outputShape(), "the original is unchanged");
        base.namedParameters().forEach((k, p) -> {
            Parameter q = tuned.namedParameters().get(k);
            if (k.startsWith("fc.")) {
                assertEquals(3, q.shape().dim(0), k);
            } else {
                assertArrayEquals(p.value().data(), q.value().data(), k);
                assertTrue(p.value() != q.value(), "a copy, not the same tensor: " + k);
            }
        });
        base.namedBuffers().forEach((k, p) -> assertArrayEquals(p.value().data(),
                tuned.namedBuffers().get(k).value().data(), k));
    }

    @Test
    void freezeAllButTheHeadOfASequential() {
        Model base = Sequential.builder().add("conv", Conv2d.of(2, 3)).add("flat", org.retina.nn.Flatten.of())
                .add("fc", org.retina.nn.Dense.of(4)).add("softmax", Softmax.of()).build()
                .build(Shape.of(1, 5, 5), 3);
        Model tuned = FineTune.replaceHead(base, 2, 4);
        assertTrue(tuned instanceof Sequential);
        assertEquals("fc", FineTune.head(tuned), "the softmax after the head stays");
        FineTune.freezeAllButHead(tuned);
        tuned.namedParameters().forEach((k, p) -> assertEquals(k.startsWith("fc."), p.trainable(), k));
        Tensor y = tuned.forward(Tensor.zeros(3, 1, 5, 5), org.retina.nn.Mode.EVAL);
        assertEquals(Shape.of(3, 2), y.shape());
    }

    @Test
    void aModelWithoutDenseHasNoHead() {
        Model m = Sequential.of(Conv2d.of(2, 3)).build(Shape.of(1, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FineTune.head(m));
        assertTrue(e.getMessage().contains("no Dense layer"), e.getMessage());
    }

    /** Ten samples, labels 0..4 twice, named c0..c4. */
    private static Dataset tiny() {
        return new Dataset() {
            public int size() { return 10; }
            public Shape sampleShape() { return Shape.of(1, 1, 1); }
            public List<String> classNames() { return List.of("c0", "c1", "c2", "c3", "c4"); }
            public int label(int i) { return i % 5; }
            public void copyPixels(int i, float[] dst, int off) { dst[off] = i; }
        };
    }

    @Test
    void relabelToFewerClasses() {
        Dataset b = Relabel.binary(tiny(), 1, 3);
        assertEquals(List.of("other", "c1 + c3"), b.classNames());
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 0, 1, 0, 1, 0}, b.labels());
        Dataset c = Relabel.classes(tiny(), 4, 2);
        assertEquals(List.of("c4", "c2"), c.classNames());
        assertArrayEquals(new int[] {1, 0, 1, 0}, c.labels());
        assertEquals(4f, c.sample(1).data()[0], "sample 1 is the base's sample 4");
        assertEquals(2, Relabel.classes(tiny(), 0).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Relabel.binary(tiny(), 5));
        assertTrue(e.getMessage().contains("class 5 is outside the dataset's 0..4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Relabel.classes(tiny(), 1, 1));
    }

    @Test
    void zooHeadsAreTheirClassifiers() {
        assertEquals("fc", FineTune.head(Zoo.create("fashion-cnn", 10)));
    }
}
