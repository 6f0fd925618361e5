package org.retina.data.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.retina.testing.TarWriter;

/** The tar reader on archives written here: plain, gzipped, long names, filters, and hostile entries. */
class TarTest {
    @TempDir
    Path tmp;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void extractsTheWantedRegularFiles() throws IOException {
        String longName = "package/src/" + "deep/".repeat(25) + "file.json";
        byte[] big = new byte[1500];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        Path tgz = new TarWriter()
                .entry("package/", '5', new byte[0])
                .file("package/package.json", utf8("{}"))
                .file("package/data/a.bin", big)
                .file(longName, utf8("[1]"))
                .file("other/skip.txt", utf8("no"))
                .writeGz(tmp.resolve("p.tgz"));
        Path out = tmp.resolve("out");
        List<Path> got = Tar.extract(tgz, out, n -> n.startsWith("package/"));
        assertEquals(3, got.size());
        assertArrayEquals(big, Files.readAllBytes(out.resolve("package/data/a.bin")));
        assertEquals("[1]", Files.readString(out.resolve(longName)));
        assertFalse(Files.exists(out.resolve("other")));
        Path plain = tmp.resolve("p.tar");
        Files.write(plain, new TarWriter().file("x/y.txt", utf8("hi")).bytes());
        Tar.extract(plain, out, n -> true);
        assertEquals("hi", Files.readString(out.resolve("x/y.txt")));
    }

    @Test
    void refusesEntriesOutsideTheTargetAndDamagedHeaders() throws IOException {
        Path evil = new TarWriter().file("../evil.txt", utf8("x")).writeGz(tmp.resolve("evil.tgz"));
        IOException e = assertThrows(IOException.class, () -> Tar.extract(evil, tmp.resolve("o"), n -> true));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        byte[] bytes = new TarWriter().file("a.txt", utf8("x")).bytes();
        bytes[0] = 'b'; // the checksum no longer matches
        Path damaged = tmp.resolve("damaged.tar");
        Files.write(damaged, bytes);
        e = assertThrows(IOException.class, () -> Tar.extract(damaged, tmp.resolve("o"), n -> true));
        assertTrue(e.getMessage().contains(damaged.toString()) && e.getMessage().contains("checksum"),
                e.getMessage());
        byte[] whole = new TarWriter().file("a.txt", new byte[2000]).bytes();
        Path cut = tmp.resolve("cut.tar");
        Files.write(cut, java.util.Arrays.copyOf(whole, 1024));
        e = assertThrows(IOException.class, () -> Tar.extract(cut, tmp.resolve("o"), n -> true));
        assertTrue(e.getMessage().contains("ends inside 'a.txt'"), e.getMessage());
    }
}
