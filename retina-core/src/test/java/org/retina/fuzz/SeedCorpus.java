package org.retina.fuzz;

import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.retina.data.format.Cifar10;
import org.retina.data.format.Idx;
import org.retina.data.format.Npy;
import org.retina.io.ModelFile;
import org.retina.model.Model;
import org.retina.model.Sequential;
import org.retina.nn.BatchNorm2d;
import org.retina.nn.Conv2d;
import org.retina.nn.Dense;
import org.retina.nn.Dropout;
import org.retina.nn.Flatten;
import org.retina.tensor.Shape;
import org.retina.tensor.Tensor;

/**
 * Writes the seed corpus of {@link ReaderFuzzTest}: small real files of every format. Run once with the inputs
 * folder and the MNIST folder as arguments; the files are committed under {@code ReaderFuzzTestInputs/}.
 */
public final class SeedCorpus {
    private SeedCorpus() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path mnist = Path.of(args[1]);

        Path idx = Files.createDirectories(root.resolve("idx"));
        Idx.Images images = Idx.readImages(mnist.resolve("t10k-images-idx3-ubyte.gz"));
        Idx.writeImages(idx.resolve("three-images"), new Idx.Images(3, 28, 28,
                Arrays.copyOf(images.pixels(), 3 * 784)));
        Idx.writeLabels(idx.resolve("three-labels"),
                Arrays.copyOf(Idx.readLabels(mnist.resolve("t10k-labels-idx1-ubyte.gz")), 3));

        byte[] pixels = new byte[2 * Cifar10.PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        Cifar10.write(Files.createDirectories(root.resolve("cifar10")).resolve("two-records"), new int[] {3, 9},
                pixels);

        Path npy = Files.createDirectories(root.resolve("npy"));
        try (OutputStream out = Files.newOutputStream(npy.resolve("float32-2x3"))) {
            Npy.write(out, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        }
        try (OutputStream out = Files.newOutputStream(npy.resolve("int64-4"))) {
            Npy.writeLongs(out, new int[] {4}, new long[] {0, 1, 2, 9});
        }
        try (OutputStream out = Files.newOutputStream(npy.resolve("uint8-2x2"))) {
            Npy.writeBytes(out, new int[] {2, 2}, new byte[] {0, 1, (byte) 255, 7});
        }
        try (OutputStream out = Files.newOutputStream(npy.resolve("float64-3"))) {
            Npy.writeDoubles(out, new int[] {3}, new double[] {0.5, -1, 2});
        }

        Path img = Files.createDirectories(root.resolve("image"));
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                rgb.setRGB(x, y, (x * 60) << 16 | (y * 60) << 8 | 90);
            }
        }
        for (String format : List.of("png", "jpg", "bmp")) {
            ImageIO.write(rgb, format, img.resolve("rgb." + format).toFile());
        }
        BufferedImage gray = new BufferedImage(3, 5, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 1, 0, 200);
        ImageIO.write(gray, "png", img.resolve("gray.png").toFile());

        Model m = Sequential.builder().add("conv", Conv2d.of(2, 3)).add("bn", BatchNorm2d.of())
                .add("flatten", Flatten.of()).add("drop", Dropout.of(0.5)).add("fc", Dense.of(3)).build()
                .build(Shape.of(1, 5, 5), 1);
        ModelFile.save(Files.createDirectories(root.resolve("modelFile")).resolve("small.retina"), m,
                Map.of("classNames", List.of("a", "b", "c")));
    }
}
