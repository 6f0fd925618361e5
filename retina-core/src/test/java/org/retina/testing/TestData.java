package org.retina.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.retina.data.DatasetStore;

/**
 * Where the tests find their material, all of it from the project itself: the test resources it commits (golden
 * vectors, ONNX cases), found on the class path so that a module reading another module's test jar finds them
 * too, and the datasets, fetched by {@link DatasetStore#fetch} into the user's dataset store, the route a user
 * takes. Nothing outside the repository but that store is read.
 */
public final class TestData {
    private static final Map<String, Path> FETCHED = new ConcurrentHashMap<>();

    private TestData() {
    }

    /**
     * The folder {@code name} of the test resources on the class path (for example {@code golden}), as a path that
     * the file API reads, inside a jar as well as in a folder.
     */
    public static Path resource(String name) {
        URL url = TestData.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource folder '" + name + "' is not on the class path; it is"
                    + " committed under src/test/resources of the module that owns it");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // opened by an earlier call: Path.of finds it
                }
            }
            return Path.of(uri);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("test resource folder '" + name + "' at " + url + " cannot be read", e);
        }
    }

    /** The PyTorch reference vectors written by {@code tools/golden/make_golden.py}. */
    public static Path golden() {
        return resource("golden");
    }

    /**
     * The folder of dataset {@code name} ({@code mnist} or {@code fashion-mnist}) in the user's store, fetched
     * and verified first when it is not there. A failure to fetch fails the test with what to do; it never skips.
     */
    public static Path dataset(String name) {
        return FETCHED.computeIfAbsent(name, n -> {
            Path store = DatasetStore.defaultRoot();
            try {
                return DatasetStore.fetch(n, store, DatasetStore.Progress.NONE);
            } catch (IOException e) {
                throw new IllegalStateException("the tests need dataset '" + n + "' in the dataset store " + store
                        + " and could not fetch it: " + e.getMessage() + "\nWhat to do: run './retina fetch " + n
                        + "' on a machine that reaches the network, or copy the four IDX files into "
                        + store.resolve(n) + " (RETINA_DATA sets another store folder)", e);
            }
        });
    }

    /** Writes sample {@code i} of a one-channel byte dataset (MNIST, Fashion-MNIST) as an 8-bit grey PNG file. */
    public static void writeGreyPng(org.retina.data.Dataset data, int i, Path file) throws IOException {
        org.retina.tensor.Shape s = data.sampleShape();
        int h = s.dim(1);
        int w = s.dim(2);
        float[] px = new float[h * w];
        data.copyPixels(i, px, 0);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < px.length; k++) {
            img.getRaster().setSample(k % w, k / w, 0, Math.round(px[k] * 255));
        }
        javax.imageio.ImageIO.write(img, "png", file.toFile());
    }
}
