package org.retina.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.data.format.Npy;
import org.retina.io.ModelFile;
import org.retina.model.Model;
import org.retina.nn.Mode;
import org.retina.tensor.Rng;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;
import org.retina.testing.TestData;

/**
 * The interop commands in a temporary folder: export a model to ONNX, import it back, summarize and predict with
 * both files on a {@code .npy} batch, fine-tune a two-class head from the command line, and refuse corrupt,
 * truncated or foreign files with exit code 2.
 */
class InteropCliIT {
    @TempDir
    Path dir;

    private static CliIT.Run ok(String... args) {
        CliIT.Run r = CliIT.run(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    private static void refused(String fragment, String... args) {
        CliIT.Run r = CliIT.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + " should fail with 2: " + r.out() + r.err());
        assertTrue(r.err().contains(fragment), "'" + r.err() + "' lacks '" + fragment + "'");
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void exportImportPredict() throws IOException {
        Path onnx = dir.resolve("cifar.onnx");
        Path back = dir.resolve("back.retina");
        ok("export", "cifar-cnn", "--out", onnx.toString());
        assertTrue(ok("summary", "--model", onnx.toString()).out().contains("Total params: 528,054"));
        ok("import", onnx.toString(), "--out", back.toString());
        Tensor x = Tensor.zeros(Shape.of(3, 3, 32, 32));
        Rng rng = new Rng(4);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = rng.nextFloat();
        }
        Path in = dir.resolve("x.npy");
        try (var out = Files.newOutputStream(in)) {
            Npy.write(out, x);
        }
        Path y1 = dir.resolve("y1.npy");
        Path y2 = dir.resolve("y2.npy");
        ok("predict", "--model", onnx.toString(), "--input", in.toString(), "--output", y1.toString());
        ok("predict", "--model", back.toString(), "--input", in.toString(), "--output", y2.toString());
        Tensor a = Npy.readTensor(y1);
        assertEquals(Shape.of(3, 10), a.shape());
        assertArrayEquals(a.data(), Npy.readTensor(y2).data(), "the .onnx and the imported .retina agree");
        Model m = ModelFile.load(back);
        assertArrayEquals(m.forward(x, Mode.EVAL).data(), a.data(), "predict is the model's eval forward");
        Path back2 = dir.resolve("again.onnx");
        ok("export", back.toString(), "--out", back2.toString());
        assertTrue(Files.size(back2) > 2_000_000);
        assertTrue(ok("import", onnx.toString(), "--check").out().contains("every node imports"));
    }

    @Test
    void checkListsEveryNodeThatDoesNotImport() throws IOException {
        var dims = org.retina.onnx.proto.Onnx.TensorShapeProto.newBuilder();
        for (long d : new long[] {1, 3, 4, 4}) {
            dims.addDim(org.retina.onnx.proto.Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        var type = org.retina.onnx.proto.Onnx.TypeProto.newBuilder().setTensorType(
                org.retina.onnx.proto.Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(dims));
        var graph = org.retina.onnx.proto.Onnx.GraphProto.newBuilder()
                .addInput(org.retina.onnx.proto.Onnx.ValueInfoProto.newBuilder().setName("x").setType(type))
                .addOutput(org.retina.onnx.proto.Onnx.ValueInfoProto.newBuilder().setName("y").setType(type));
        String[][] nodes = {{"sum", "Einsum", "x", "a"}, {"up", "Resize", "a", "b"},
            {"relu", "Relu", "b", "y"}};
        for (String[] n : nodes) {
            graph.addNode(org.retina.onnx.proto.Onnx.NodeProto.newBuilder().setName(n[0]).setOpType(n[1])
                    .addInput(n[2]).addOutput(n[3]));
        }
        Path file = dir.resolve("unsupported.onnx");
        Files.write(file, org.retina.onnx.proto.Onnx.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(org.retina.onnx.proto.Onnx.OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(graph).build().toByteArray());
        CliIT.Run r = CliIT.run("import", file.toString(), "--check");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.out().contains("'sum' (Einsum), opset 17")
                && r.out().contains("'up' (Resize), opset 17")
                && !r.out().contains("Relu"), "both unsupported nodes, at once: " + r.out());
        assertTrue(r.err().contains("2 nodes cannot be imported"), r.err());
        refused("import needs --out", "import", file.toString());
    }

    @Test
    void badFilesAreRefused() throws IOException {
        Path onnx = dir.resolve("lenet.onnx");
        ok("export", "lenet5", "--out", onnx.toString());
        byte[] bytes = Files.readAllBytes(onnx);
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path text = dir.resolve("text.onnx");
        Files.writeString(text, "this is not a model\n");
        Path x = dir.resolve("x.npy");
        try (var out = Files.newOutputStream(x)) {
            Npy.write(out, Tensor.zeros(2, 1, 32, 32));
        }
        Path wrongShape = dir.resolve("wrong.npy");
        try (var out = Files.newOutputStream(wrongShape)) {
            Npy.write(out, Tensor.zeros(2, 3, 32, 32));
        }
        Path badHeader = dir.resolve("bad.npy");
        byte[] npy = Files.readAllBytes(x);
        npy[12] = 'X';
        Files.write(badHeader, npy);
        Path y = dir.resolve("y.npy");
        refused("not a valid ONNX file", "summary", "--model", truncated.toString());
        refused("not a valid ONNX file", "import", text.toString(), "--out", dir.resolve("t.retina").toString());
        refused("does not exist", "predict", "--model", dir.resolve("missing.onnx").toString(), "--input",
                x.toString(), "--output", y.toString());
        refused("expects (N, 1, 32, 32)", "predict", "--model", onnx.toString(), "--input", wrongShape.toString(),
                "--output", y.toString());
        refused(".npy header", "predict", "--model", onnx.toString(), "--input", badHeader.toString(), "--output",
                y.toString());
        refused("not a valid ONNX file", "predict", "--model", truncated.toString(), "--input", x.toString(),
                "--output", y.toString());
        refused("is a Retina model file already", "import", dir.resolve("m.retina").toString(), "--out",
                dir.resolve("n.retina").toString());
        assertTrue(!Files.exists(y), "nothing written on failure");
    }

    @Test
    void fineTuneAHeadFromTheCommandLine() throws IOException {
        Path base = dir.resolve("base.onnx");
        ok("export", "fashion-cnn", "--out", base.toString());
        Path fashion = TestData.dataset("fashion-mnist");
        Path run = dir.resolve("run");
        CliIT.Run r = ok("train", "--model", base.toString(), "--dataset", "fashion-mnist", "--data",
                fashion.toString(), "--binary", "5,7,9", "--num-classes", "2", "--freeze-until", "flatten",
                "--epochs", "1", "--subset", "3000", "--validation", "500", "--out", run.toString());
        assertTrue(r.out().contains("Trainable params: 3,138"), "only the new head (1568 x 2 + 2) learns: " + r.out());
        assertTrue(ok("evaluate", "--model", run.resolve("best.retina").toString(), "--data", fashion.toString())
                .out().contains("Sandal + Sneaker + Ankle boot"), "evaluate sees the same two classes");
        ok("report", "--run", run.toString(), "--data", fashion.toString());
        refused("pass --num-classes 2", "train", "--model", base.toString(), "--dataset", "fashion-mnist",
                "--data", fashion.toString(), "--binary", "5,7,9", "--epochs", "1", "--subset", "100");
        refused("no node named 'nope'", "train", "--model", base.toString(), "--dataset", "fashion-mnist",
                "--data", fashion.toString(), "--freeze-until", "nope", "--epochs", "1", "--subset", "100");
    }
}
