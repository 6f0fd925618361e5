package org.retina.viz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A reader of TensorBoard event files written from the format's description, independent of the writer: TFRecord
 * framing (little-endian uint64 length, masked CRC32C of those 8 bytes, the data, masked CRC32C of the data) and the
 * protobuf wire format of {@code Event} (wall_time 1, step 2, file_version 3, summary 5), {@code Summary} (value 1),
 * {@code Summary.Value} (tag 1, simple_value 2, image 4) and {@code Summary.Image} (height 1, width 2, colorspace
 * 3, encoded_image_string 4). Every CRC is checked; a bad one fails the read.
 */
public final class EventFile {
    /** One value of an event: a scalar, or an image (its dimensions and PNG bytes). */
    public record Value(String tag, float scalar, int height, int width, int colorspace, byte[] png) {
    }

    /** One event. */
    public record Event(double wallTime, long step, String fileVersion, List<Value> values) {
    }

    private EventFile() {
    }

    static int maskedCrc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        int crc = (int) c.getValue();
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    /** The events of {@code file}, every CRC checked. */
    public static List<Event> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (in.hasRemaining()) {
            int start = in.position();
            long len = in.getLong();
            int lenCrc = in.getInt();
            if (lenCrc != maskedCrc(all, start, 8)) {
                throw new IOException("record at byte " + start + ": the length's CRC does not match");
            }
            int dataStart = in.position();
            in.position(dataStart + (int) len);
            int dataCrc = in.getInt();
            if (dataCrc != maskedCrc(all, dataStart, (int) len)) {
                throw new IOException("record at byte " + start + ": the data's CRC does not match");
            }
            events.add(event(new Wire(all, dataStart, dataStart + (int) len)));
        }
        return events;
    }

    private static Event event(Wire w) throws IOException {
        double wall = Double.NaN;
        long step = 0;
        String version = null;
        List<Value> values = new ArrayList<>();
        while (w.more()) {
            long key = w.varint();
            int field = (int) (key >>> 3);
            switch (field) {
                case 1 -> wall = Double.longBitsToDouble(w.fixed64());
                case 2 -> step = w.varint();
                case 3 -> version = new String(w.bytes(), StandardCharsets.UTF_8);
                case 5 -> {
                    Wire s = w.sub();
                    while (s.more()) {
                        long k = s.varint();
                        if (k >>> 3 != 1) {
                            throw new IOException("Summary field " + (k >>> 3) + " is unexpected");
                        }
                        values.add(value(s.sub()));
                    }
                }
                default -> throw new IOException("Event field " + field + " is unexpected");
            }
        }
        return new Event(wall, step, version, values);
    }

    private static Value value(Wire w) throws IOException {
        String tag = null;
        float scalar = Float.NaN;
        int h = 0;
        int wd = 0;
        int cs = 0;
        byte[] png = null;
        while (w.more()) {
            long key = w.varint();
            switch ((int) (key >>> 3)) {
                case 1 -> tag = new String(w.bytes(), StandardCharsets.UTF_8);
                case 2 -> scalar = Float.intBitsToFloat(w.fixed32());
                case 4 -> {
                    Wire im = w.sub();
                    while (im.more()) {
                        long k = im.varint();
                        switch ((int) (k >>> 3)) {
                            case 1 -> h = (int) im.varint();
                            case 2 -> wd = (int) im.varint();
                            case 3 -> cs = (int) im.varint();
                            case 4 -> png = im.bytes();
                            default -> throw new IOException("Image field " + (k >>> 3) + " is unexpected");
                        }
                    }
                }
                default -> throw new IOException("Value field " + (key >>> 3) + " is unexpected");
            }
        }
        return new Value(tag, scalar, h, wd, cs, png);
    }

    /** A window of protobuf bytes. */
    private static final class Wire {
        private final byte[] b;
        private int pos;
        private final int end;

        Wire(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IOException("a varint runs past its message");
                }
                int x = b[pos++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("a varint longer than 10 bytes");
        }

        long fixed64() {
            long v = ByteBuffer.wrap(b, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            pos += 8;
            return v;
        }

        int fixed32() {
            int v = ByteBuffer.wrap(b, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            pos += 4;
            return v;
        }

        byte[] bytes() throws IOException {
            int n = (int) varint();
            if (pos + n > end) {
                throw new IOException("a field of " + n + " bytes runs past its message");
            }
            byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        Wire sub() throws IOException {
            int n = (int) varint();
            Wire w = new Wire(b, pos, pos + n);
            pos += n;
            return w;
        }
    }

    /** The PNG bytes as an image. */
    public static java.awt.image.BufferedImage decode(byte[] png) throws IOException {
        return javax.imageio.ImageIO.read(new ByteArrayInputStream(png));
    }
}
