package org.retina.viz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.retina.io.AtomicFile;

/** PNG encoding of the pictures: files written atomically, bytes, and data URIs for self-contained pages. */
public final class Png {
    private Png() {
    }

    /** Writes {@code image} to {@code file} atomically: a reader sees the old picture or the new one, never a part. */
    public static void write(BufferedImage image, Path file) throws IOException {
        AtomicFile.write(file, out -> encode(image, out));
    }

    /** The PNG bytes of {@code image}. */
    public static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            encode(image, out);
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding into memory failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** {@code data:image/png;base64,...}, for an {@code <img>} that needs no file and no network. */
    public static String dataUri(BufferedImage image) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(encode(image));
    }

    private static void encode(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("Png: this JDK has no PNG writer for image type " + image.getType());
        }
    }
}
