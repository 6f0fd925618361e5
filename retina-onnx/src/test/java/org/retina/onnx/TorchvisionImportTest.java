package org.retina.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.retina.data.format.Npy;
import org.retina.nn.Mode;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/**
 * torchvision's classification CNNs as {@code torch.onnx.export} writes them (dynamic batch axis; opset 17 with
 * constant folding, and opset 13 without, for the families whose graphs differ between the two), at a fraction
 * of their channels: {@code tools/torchvision/make_torchvision_onnx.py} made the files in
 * {@code src/test/resources/torchvision} with torchvision's own blocks and seeded batch-norm statistics. Each is
 * imported and run on a batch of 2, and must give PyTorch's output within 1e-4 of the output's scale (its
 * largest magnitude): float32 sums in another order differ by a few units of 1e-6 of the scale over these depths.
 * The imported model is then exported again: ONNX Runtime runs the export within 1e-5 of the scale of Retina's
 * own output, and importing the export gives the same output bit for bit.
 */
class TorchvisionImportTest {

    /** The committed files: family and file name. */
    static Stream<String> files() {
        return Stream.of(FAMILIES).flatMap(f -> Stream.of(f.split(" ")).skip(1).map(v -> f.split(" ")[0] + " " + v));
    }

    /** Each family followed by its variants, as the generator names them. */
    private static final String[] FAMILIES = {
        "resnet18 o17 o13-nofold", "resnet50 o17", "resnext50_32x4d o17", "vgg11 o17", "vgg11_bn o17",
        "alexnet o17", "squeezenet1_0 o17", "squeezenet1_1 o17", "densenet121 o17", "googlenet o17",
        "inception_v3 o17", "mobilenet_v2 o17 o13-nofold", "mobilenet_v3_small o17 o13-nofold",
        "mobilenet_v3_large o17", "efficientnet_b0 o17 o13-nofold", "shufflenet_v2 o17 o13-nofold", "mnasnet o17",
        "regnet_x o17", "regnet_y o17 o13-nofold", "convnext o17 o13-nofold",
    };

    static byte[] resource(String name) throws IOException {
        try (InputStream in = TorchvisionImportTest.class.getResourceAsStream("/torchvision/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource torchvision/" + name + " (made by"
                        + " tools/torchvision/make_torchvision_onnx.py)");
            }
            return in.readAllBytes();
        }
    }

    /** The generator's input in closed form: {@code x[i] = float32(1.5 sin(0.7133 i + 0.25))}. */
    static Tensor input(int... dims) {
        Tensor x = Tensor.zeros(dims);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (1.5 * Math.sin(0.7133 * i + 0.25));
        }
        return x;
    }

    static double scale(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void matchesPyTorchAndExportsAgain(String file) throws IOException {
        String family = file.split(" ")[0];
        String name = family + "-" + file.split(" ")[1] + ".onnx";
        byte[] bytes = resource(name);
        Imported m = Onnx.read(bytes, name);
        byte[] out = resource(family + "_output.npy");
        Tensor expected = Npy.read(new ByteArrayInputStream(out), family + "_output.npy", out.length).toTensor();
        int[] sample = m.model().inputShape().dims();
        int[] dims = new int[sample.length + 1];
        dims[0] = 2;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        Tensor x = input(dims);
        Tensor got = m.model().forward(x, Mode.EVAL).copy();
        double scale = scale(expected);
        Golden.assertClose(name + " against PyTorch", expected, got, 0, 1e-4 * scale);
        byte[] again = Onnx.toBytes(m.model(), m.metadata());
        Golden.assertClose(name + " exported, in ONNX Runtime", got, Ort.run(again, x), 0, 1e-5 * scale);
        Tensor reimported = Onnx.read(again, name).model().forward(x, Mode.EVAL);
        assertArrayEquals(got.data(), reimported.data(), name + " exported and imported again");
    }
}
