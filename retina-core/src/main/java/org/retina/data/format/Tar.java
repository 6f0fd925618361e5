package org.retina.data.format;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A small reader of tar archives (ustar, with pax and GNU long names), plain or gzipped like the {@code .tgz}
 * files {@code npm pack} writes; it extracts regular files only and refuses names that leave the target folder.
 */
public final class Tar {
    private static final int BLOCK = 512;

    private Tar() {
    }

    /** Extracts the regular files whose archive names {@code wanted} accepts into {@code dest}; returns their paths. */
    public static List<Path> extract(Path archive, Path dest, Predicate<String> wanted) throws IOException {
        Path root = dest.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            InputStream in = Idx.isGzip(archive) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
                    : raw;
            byte[] header = new byte[BLOCK];
            String longName = null;
            long offset = 0;
            while (true) {
                if (!readBlock(in, header, archive)) {
                    break; // end of stream without the two zero blocks: accepted, as GNU tar does
                }
                if (allZero(header)) {
                    break;
                }
                if (!checksumOk(header)) {
                    throw new IOException(archive + ": tar header at byte " + offset + " has a bad checksum;"
                            + " the archive is damaged or not a tar file");
                }
                String name = longName != null ? longName : name(header);
                longName = null;
                long size = size(header, archive, offset);
                char type = (char) header[156];
                offset += BLOCK;
                if (type == 'x' || type == 'L') {
                    byte[] body = readBody(in, size, archive, offset);
                    longName = type == 'L' ? cString(body, 0, body.length) : paxPath(body);
                } else if ((type == '0' || type == 0) && wanted.test(name)) {
                    Path target = root.resolve(name).normalize();
                    if (!target.startsWith(root) || name.startsWith("/")) {
                        throw new IOException(archive + ": entry '" + name + "' would be written outside " + root);
                    }
                    Files.createDirectories(target.getParent());
                    try (OutputStream o = Files.newOutputStream(target)) {
                        copy(in, o, size, archive, name);
                    }
                    skip(in, pad(size) - size, archive, name);
                    out.add(target);
                } else {
                    skip(in, pad(size), archive, name);
                }
                offset += pad(size);
            }
        }
        return out;
    }

    private static long pad(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean readBlock(InputStream in, byte[] b, Path archive) throws IOException {
        int n = in.readNBytes(b, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException(archive + ": tar archive ends inside a header block");
        }
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean checksumOk(byte[] h) {
        long stored = octal(h, 148, 8);
        long unsigned = 0;
        long signed = 0; // some old writers summed signed bytes
        for (int i = 0; i < BLOCK; i++) {
            unsigned += (i >= 148 && i < 156) ? ' ' : h[i] & 0xFF;
            signed += (i >= 148 && i < 156) ? ' ' : h[i];
        }
        return stored == unsigned || stored == signed;
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        if ("ustar".equals(cString(h, 257, 6).trim())) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
        }
        return name;
    }

    private static long size(byte[] h, Path archive, long offset) throws IOException {
        if ((h[124] & 0x80) != 0) { // GNU base-256 for sizes of 8 GiB and more
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = v << 8 | (h[i] & 0xFF);
            }
            return v;
        }
        long v = octal(h, 124, 12);
        if (v < 0) {
            throw new IOException(archive + ": tar header at byte " + offset + " has an unreadable size field");
        }
        return v;
    }

    /** An octal number field, or -1 when it holds anything else. */
    private static long octal(byte[] h, int off, int len) {
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            int c = h[i] & 0xFF;
            if (c == 0 || (c == ' ' && any)) {
                break;
            }
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                return -1;
            }
            v = v * 8 + (c - '0');
            any = true;
        }
        return v;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** The {@code path} record of a pax extended header ({@code "<len> path=<value>\n"} records), or null. */
    private static String paxPath(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int sp = record.indexOf(' ');
            int eq = record.indexOf('=');
            if (sp > 0 && eq > sp && record.substring(sp + 1, eq).equals("path")) {
                return record.substring(eq + 1);
            }
        }
        return null;
    }

    private static byte[] readBody(InputStream in, long size, Path archive, long offset) throws IOException {
        if (size > 1 << 20) {
            throw new IOException(archive + ": tar extended header at byte " + offset + " claims " + size
                    + " bytes, expected at most 1 MiB");
        }
        byte[] body = in.readNBytes((int) size);
        if (body.length != size) {
            throw new EOFException(archive + ": tar archive ends inside an extended header");
        }
        skip(in, pad(size) - size, archive, "extended header");
        return body;
    }

    private static void copy(InputStream in, OutputStream out, long size, Path archive, String name)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException(archive + ": tar archive ends inside '" + name + "' (" + left
                        + " of " + size + " bytes missing)");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n, Path archive, String name) throws IOException {
        try {
            in.skipNBytes(n);
        } catch (EOFException e) {
            throw new EOFException(archive + ": tar archive ends inside '" + name + "'");
        }
    }
}
