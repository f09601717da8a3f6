package org.edgeml.runtime.command;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Grayscale PNGs as the runtime publishes them, and the edgeml metadata they carry: one {@code tEXt} chunk with
 * the keyword {@code edgeml} and a JSON object as its text (PNG 1.2, section 11.3.4.3), placed right after the
 * {@code IHDR} chunk. Any PNG reader shows the picture; {@link #metadata} gives the JSON back.
 */
public final class PngFrames {
    public static final String KEYWORD = "edgeml";
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** The signature plus the IHDR chunk (length, type, 13 bytes of data, CRC). */
    private static final int AFTER_IHDR = 8 + 4 + 4 + 13 + 4;

    private PngFrames() {}

    /** Encodes {@code width x height} gray pixels (row by row) as a PNG with {@code metadataJson} in it. */
    public static byte[] encode(byte[] gray, int width, int height, String metadataJson) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, width, height, gray);
        ByteArrayOutputStream out = new ByteArrayOutputStream(width * height / 2 + 256);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("this JDK has no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] png = out.toByteArray();
        if (metadataJson == null) {
            return png;
        }
        byte[] chunk = textChunk(metadataJson);
        byte[] withText = new byte[png.length + chunk.length];
        System.arraycopy(png, 0, withText, 0, AFTER_IHDR);
        System.arraycopy(chunk, 0, withText, AFTER_IHDR, chunk.length);
        System.arraycopy(png, AFTER_IHDR, withText, AFTER_IHDR + chunk.length, png.length - AFTER_IHDR);
        return withText;
    }

    private static byte[] textChunk(String text) {
        byte[] keyword = KEYWORD.getBytes(StandardCharsets.ISO_8859_1);
        byte[] value = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + keyword.length + 1 + value.length + 4);
        b.putInt(keyword.length + 1 + value.length);
        b.put("tEXt".getBytes(StandardCharsets.ISO_8859_1)).put(keyword).put((byte) 0).put(value);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, b.position() - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** The text of the PNG's {@code tEXt} chunk with the keyword {@code edgeml}; empty when there is none. */
    public static Optional<String> metadata(byte[] png) {
        if (png.length < SIGNATURE.length || !java.util.Arrays.equals(png, 0, 8, SIGNATURE, 0, 8)) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(png);
        int at = 8;
        while (at + 12 <= png.length) {
            long length = b.getInt(at) & 0xFFFFFFFFL;
            if (at + 12 + length > png.length) {
                return Optional.empty();
            }
            String type = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("tEXt")) {
                int data = at + 8;
                int nul = data;
                while (nul < data + length && png[nul] != 0) {
                    nul++;
                }
                String keyword = new String(png, data, nul - data, StandardCharsets.ISO_8859_1);
                if (keyword.equals(KEYWORD) && nul < data + length) {
                    return Optional.of(new String(png, nul + 1, (int) (data + length - nul - 1), StandardCharsets.ISO_8859_1));
                }
            } else if (type.equals("IEND")) {
                return Optional.empty();
            }
            at += 12 + (int) length;
        }
        return Optional.empty();
    }
}
