package org.retina.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.retina.data.format.Npy;
import org.retina.nn.Mode;
import org.retina.tensor.Tensor;
import org.retina.testing.Golden;

/**
 * torchvision's CNNs at full size (224x224 inputs, Inception v3 at 299x299, 1000 classes), exported at opset 17
 * by the repository's generator ({@code tools/torchvision/make_torchvision_onnx.py --size full}) into a temporary
 * folder, imported and run on a batch of 2: PyTorch's output within 1e-4 of its scale, as for the committed
 * small-width files. It needs a Python with torch, torchvision and onnx; without one every family is reported as
 * not run, with the reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TorchvisionFullIT {
    /** The generator's output folder, shared by the families. */
    private Path dir;

    private String skipped;

    private static String python() throws InterruptedException {
        for (String p : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process proc = new ProcessBuilder(p, "-c", "import torch, torchvision, onnx").redirectErrorStream(true)
                        .start();
                proc.getInputStream().readAllBytes();
                if (proc.waitFor(120, TimeUnit.SECONDS) && proc.exitValue() == 0) {
                    return p;
                }
            } catch (IOException e) {
                // no such interpreter: try the next
            }
        }
        return null;
    }

    @BeforeAll
    void export(@TempDir Path folder) throws Exception {
        dir = folder;
        String python = python();
        if (python == null) {
            skipped = "not run: no Python with torch, torchvision and onnx here (Debian: apt-get install"
                    + " python3-torch python3-torchvision python3-onnx)";
            return;
        }
        Path script = Path.of("..", "tools", "torchvision", "make_torchvision_onnx.py").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(python, script.toString(), dir.toString(), "--size", "full", "--opsets", "17",
                "--fold", "on").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the generator failed:\n" + out);
        }
        System.out.println(out.lines().filter(l -> l.contains(" full ")).reduce("", (a, b) -> a + b + "\n"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"resnet18", "resnet50", "resnext50_32x4d", "vgg11", "vgg11_bn", "alexnet", "squeezenet1_0",
        "squeezenet1_1", "densenet121", "googlenet", "inception_v3", "mobilenet_v2", "mobilenet_v3_small",
        "mobilenet_v3_large", "efficientnet_b0", "shufflenet_v2", "mnasnet", "regnet_x", "regnet_y", "convnext"})
    void fullSizeFamilyMatchesPyTorch(String family) throws IOException {
        Assumptions.assumeTrue(skipped == null, skipped);
        String name = family + "-o17.onnx";
        Imported m = Onnx.read(dir.resolve(name));
        Path npy = dir.resolve(family + "_output.npy");
        Tensor expected = Npy.read(npy).toTensor();
        int[] sample = m.model().inputShape().dims();
        int[] dims = new int[sample.length + 1];
        dims[0] = 2;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        assertEquals(List.of(2, 1000), List.of(expected.dim(0), expected.dim(1)));
        Tensor got = m.model().forward(TorchvisionImportTest.input(dims), Mode.EVAL);
        Golden.assertClose(name + " (full size) against PyTorch", expected, got, 0,
                1e-4 * TorchvisionImportTest.scale(expected));
    }
}
