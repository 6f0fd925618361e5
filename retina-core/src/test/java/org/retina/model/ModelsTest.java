package org.retina.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.retina.nn.BatchNorm1d;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Flatten;
import org.retina.nn.GlobalAvgPool2d;
import org.retina.nn.LocallyConnected2d;
import org.retina.nn.MaxPool2d;
import org.retina.nn.Mode;
import org.retina.nn.ReLU;
import org.retina.nn.Softmax;
import org.retina.nn.Tanh;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.GradientCheck;

/** Seed 003 section 2.5: the dense layers of a network become convolutions that slide over larger images. */
class ModelsTest {
    private static final Shape TRAINED = Shape.of(2, 12, 12);

    /** Conv, batch norm, pool, conv, then two dense layers on the 6x3x3 volume; trained for 2x12x12. */
    private static Sequential net() {
        Sequential m = Sequential.builder()
                .add("conv1", Conv2d.of(4, 3))           // (4, 10, 10)
                .add("bn1", BatchNorm2d.of())
                .add("relu1", ReLU.of())
                .add("pool1", MaxPool2d.of(2))           // (4, 5, 5)
                .add("conv2", Conv2d.of(6, 3))           // (6, 3, 3)
                .add("tanh", Tanh.of())
                .add("flatten", Flatten.of())            // (54)
                .add("fc1", Dense.of(16))
                .add("relu2", ReLU.of())
                .add("dropout", Dropout.of(0.5))
                .add("fc2", Dense.of(5))
                .add("softmax", Softmax.of())
                .build();
        m.build(TRAINED, 5);
        // one training pass moves the running statistics, so evaluation does not normalize by (0, 1)
        m.forward(GradientCheck.random(Tensor.zeros(TRAINED.withBatch(8)), new Rng(2)), Mode.TRAIN);
        return m;
    }

    /** The product of the strides of the windows before the Flatten. */
    private static int totalStride(Model m) {
        int stride = 1;
        for (Model.Node n : m.nodes()) {
            stride *= switch (n.component()) {
                case Conv2d c -> c.geometry().strideH();
                case MaxPool2d p -> p.geometry().strideH();
                default -> 1;
            };
        }
        return stride;
    }

    /** {@code x[:, :, top:top+h, left:left+w]}. */
    private static Tensor crop(Tensor x, int top, int left, int h, int w) {
        int n = x.dim(0), c = x.dim(1);
        Tensor out = Tensor.zeros(n, c, h, w);
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        out.set(x.get(s, ch, top + i, left + j), s, ch, i, j);
                    }
                }
            }
        }
        return out;
    }

    private static void assertClose(float expected, float actual, String where) {
        assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), where);
    }

    @Test
    void onTheTrainingSizeTheOutputsAreTheOriginals() {
        Sequential m = net();
        Sequential fc = Models.toFullyConvolutional(m, TRAINED);
        assertEquals(Shape.of(5, 1, 1), fc.outputShape());
        assertEquals(m.summary().totalParameters(), fc.summary().totalParameters());
        List<String> names = new ArrayList<>(m.names());
        names.remove("flatten");
        assertEquals(names, fc.names());
        assertEquals("Conv2d(6, 16, kernel=3)", fc.node("fc1").component().toString());
        assertEquals("Conv2d(16, 5, kernel=1)", fc.node("fc2").component().toString());
        Tensor x = GradientCheck.random(Tensor.zeros(TRAINED.withBatch(3)), new Rng(7));
        float[] y = m.forward(x, Mode.EVAL).data();
        float[] z = fc.forward(x, Mode.EVAL).data();
        assertEquals(y.length, z.length);
        for (int i = 0; i < y.length; i++) {
            assertClose(y[i], z[i], "output " + i);
        }
    }

    @Test
    void onALargerImageEachPositionIsTheOriginalOnACrop() {
        Sequential m = net();
        int stride = totalStride(m);
        assertEquals(2, stride);
        int h = 12 + 2 * stride, w = 12 + 3 * stride;
        Sequential fc = Models.toFullyConvolutional(m, Shape.of(2, h, w));
        assertEquals(Shape.of(5, 3, 4), fc.outputShape());
        Tensor x = GradientCheck.random(Tensor.zeros(2, 2, h, w), new Rng(9));
        Tensor z = fc.forward(x, Mode.EVAL);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                Tensor y = m.forward(crop(x, i * stride, j * stride, 12, 12), Mode.EVAL);
                for (int s = 0; s < 2; s++) {
                    for (int k = 0; k < 5; k++) {
                        assertClose(y.get(s, k), z.get(s, k, i, j), "sample " + s + " class " + k + " at " + i + ","
                                + j);
                    }
                }
            }
        }
    }

    @Test
    void theOriginalIsLeftAsItWas() {
        Sequential m = net();
        float[] before = m.namedParameters().get("fc1.weight").value().data().clone();
        Models.toFullyConvolutional(m, Shape.of(2, 20, 20));
        assertEquals(TRAINED, m.inputShape());
        assertEquals(Shape.of(16, 54), m.namedParameters().get("fc1.weight").shape());
        assertTrue(java.util.Arrays.equals(before, m.namedParameters().get("fc1.weight").value().data()));
    }

    private static String failure(Sequential m, Shape input) {
        m.build(input);
        return assertThrows(IllegalArgumentException.class, () -> Models.toFullyConvolutional(m, Shape.of(
                input.dim(0), 16, 16))).getMessage();
    }

    @Test
    void layersThatCannotSlideAreNamed() {
        assertEquals("toFullyConvolutional: layer 'local' (LocallyConnected2d) cannot be converted: its weights"
                + " differ from position to position, so it cannot slide", failure(Sequential.builder()
                .add("conv", Conv2d.of(2, 3)).add("local", LocallyConnected2d.of(2, 3)).add("flatten", Flatten.of())
                .add("fc", Dense.of(3)).build(), Shape.of(1, 8, 8)));
        assertEquals("toFullyConvolutional: layer 'gap' (GlobalAvgPool2d) cannot be converted: it pools the whole"
                + " plane, so it cannot slide", failure(Sequential.builder().add("conv", Conv2d.of(2, 3))
                .add("gap", GlobalAvgPool2d.of()).add("flatten", Flatten.of()).add("fc", Dense.of(3)).build(),
                Shape.of(1, 8, 8)));
        assertEquals("toFullyConvolutional: layer 'bn' (BatchNorm1d) cannot be converted: after the Flatten only"
                + " Dense layers, activations and dropout can become convolutions", failure(Sequential.builder()
                .add("flatten", Flatten.of()).add("fc", Dense.of(3)).add("bn", BatchNorm1d.of()).build(),
                Shape.of(1, 8, 8)));
        assertEquals("toFullyConvolutional: Flatten 'flatten' is followed by no Dense layer, so there is nothing"
                + " to convert", failure(Sequential.builder().add("conv", Conv2d.of(2, 3))
                .add("flatten", Flatten.of()).build(), Shape.of(1, 8, 8)));
    }

    @Test
    void inputsMustBeImagesWithTheSameChannels() {
        Sequential mlp = Sequential.builder().add("fc", Dense.of(3)).build();
        mlp.build(Shape.of(16));
        assertThrows(IllegalArgumentException.class, () -> Models.toFullyConvolutional(mlp, Shape.of(1, 4, 4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.toFullyConvolutional(net(), Shape.of(3, 16, 16)));
        assertEquals("toFullyConvolutional: the model reads (2, 12, 12), the new input is (3, 16, 16); expected two"
                + " (channels, height, width) shapes with the same channels", e.getMessage());
        Sequential unbuilt = Sequential.builder().add("fc", Dense.of(3)).build();
        assertThrows(IllegalStateException.class, () -> Models.toFullyConvolutional(unbuilt, Shape.of(1, 4, 4)));
    }
}
