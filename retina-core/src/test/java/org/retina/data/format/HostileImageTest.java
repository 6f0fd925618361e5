package org.retina.data.format;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image whose header claims a gigantic size is refused before any pixel buffer is allocated. */
class HostileImageTest {

    /** A PNG with a valid signature and IHDR chunk claiming {@code w x h} pixels, and no image data. */
    static byte[] pngClaiming(int w, int h) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.write("IHDR".getBytes(StandardCharsets.US_ASCII));
        c.writeInt(w);
        c.writeInt(h);
        c.write(new byte[] {8, 2, 0, 0, 0});
        byte[] data = chunk.toByteArray();
        out.writeInt(data.length - 4);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(data);
        out.writeInt((int) crc.getValue());
        return b.toByteArray();
    }

    @Test
    void aPngClaimingTenBillionPixelsIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("huge.png");
        Files.write(f, pngClaiming(100_000, 100_000));
        IOException e = assertThrows(IOException.class,
                () -> ImageFolder.readInto(f, ImageFolder.Options.rgb(8, 8), new byte[3 * 64], 0));
        assertTrue(e.getMessage().contains("claims 100000x100000"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void aTruncatedPngIsAClearError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cut.png");
        Files.write(f, pngClaiming(4, 4));
        IOException e = assertThrows(IOException.class,
                () -> ImageFolder.readInto(f, ImageFolder.Options.rgb(4, 4), new byte[3 * 16], 0));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
