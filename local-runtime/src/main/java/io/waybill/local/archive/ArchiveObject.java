package io.waybill.local.archive;

import io.waybill.aws.archive.RawArchiveLayout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The content of one raw archive object ({@link RawArchiveLayout}): GZIP of every record's data followed by a newline,
 * as Firehose writes it with {@code CompressionFormat=GZIP} and {@code AppendDelimiterToRecord}.
 */
public final class ArchiveObject {
    private ArchiveObject() {
    }

    /**
     * One line of an object.
     *
     * @param number       1-based, for reports ({@code key:line})
     * @param data         the bytes between two newlines
     * @param terminated   whether a newline followed it (false only for a last line cut short)
     */
    public record Line(int number, byte[] data, boolean terminated) {
        public boolean blank() {
            for (byte b : data) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    /** GZIP of each record followed by the delimiter. */
    public static byte[] encode(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (byte[] r : records) {
                gz.write(r);
                gz.write(RawArchiveLayout.DELIMITER);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The uncompressed content (several concatenated GZIP members are read as one, as gunzip does). */
    public static byte[] decompress(InputStream gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(gzip)) {
            return in.readAllBytes();
        }
    }

    public static byte[] decompress(byte[] gzip) throws IOException {
        return decompress(new ByteArrayInputStream(gzip));
    }

    /**
     * The lines of uncompressed content, split on the delimiter. Nothing after the last delimiter is no line; a
     * non-empty remainder is a line that is not {@linkplain Line#terminated() terminated}.
     */
    public static List<Line> lines(byte[] content) {
        List<Line> out = new ArrayList<>();
        int start = 0;
        int number = 1;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == RawArchiveLayout.DELIMITER) {
                out.add(new Line(number++, Arrays.copyOfRange(content, start, i), true));
                start = i + 1;
            }
        }
        if (start < content.length) {
            out.add(new Line(number, Arrays.copyOfRange(content, start, content.length), false));
        }
        return out;
    }
}
