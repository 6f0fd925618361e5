package org.retina.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small ustar archives for tests, the way {@code npm pack} does (pax headers for long names). */
public final class TarWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A regular file; names over 100 bytes get a pax {@code path} record. */
    public TarWriter file(String name, byte[] content) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            String rec = " path=" + name + "\n"; // a pax record is "<length> path=<name>\n", length included
            int len = rec.length();
            while (String.valueOf(len).length() + rec.length() != len) {
                len = String.valueOf(len).length() + rec.length();
            }
            String body = len + rec;
            entry("PaxHeader/x", 'x', body.getBytes(StandardCharsets.UTF_8));
            return entry(name.substring(name.length() - 90), '0', content);
        }
        return entry(name, '0', content);
    }

    /** Any entry; {@code type} is the tar type flag. */
    public TarWriter entry(String name, char type, byte[] content) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", content.length), 12);
        put(h, 136, "00000000000", 12);
        h[156] = (byte) type;
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        put(h, 148, String.format("%06o", sum), 7);
        out.writeBytes(h);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return this;
    }

    private static void put(byte[] h, int off, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(b.length, max));
    }

    /** The archive, with its two closing zero blocks. */
    public byte[] bytes() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(out.toByteArray());
        b.writeBytes(new byte[1024]);
        return b.toByteArray();
    }

    /** Writes the archive gzipped to {@code file}. */
    public Path writeGz(Path file) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            o.write(bytes());
        }
        return file;
    }
}
