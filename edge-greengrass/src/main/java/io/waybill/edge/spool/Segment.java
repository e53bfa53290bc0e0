package io.waybill.edge.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One append-only segment file and the spool's bookkeeping of it. Not thread-safe: guarded by the spool's lock.
 *
 * <pre>
 * file:    header | record | record | ...
 * header:  u32 magic 'WBSG' | u16 version (1) | u16 0 | i64 segment id              (16 bytes)
 * record:  u32 length | u32 CRC32C(length, body) | body                            (8 + length bytes)
 * body:    u8 priority (1 alert, 2 summary) | i64 sequence | payload               (length = 9 + payload)
 * </pre>
 *
 * All integers are big-endian. The CRC covers the length field too, so a damaged length is caught like damaged bytes.
 */
final class Segment implements Closeable {

    static final int MAGIC = 0x57425347; // "WBSG"
    static final short VERSION = 1;
    private static final String PREFIX = "seg-";
    private static final String SUFFIX = ".log";

    final long id;
    final Path path;
    private final FileChannel channel;
    /** Bytes in the file, header included. */
    long size;
    /** Bytes of the records in this file that are neither acknowledged nor dropped. */
    long liveBytes;
    /** How many such records. */
    int liveCount;
    /** Whether something was written that was not yet forced to the device. */
    boolean unforced;

    private Segment(long id, Path path, FileChannel channel, long size) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    static String fileName(long id) {
        return String.format("%s%020d%s", PREFIX, id, SUFFIX);
    }

    /** The id in a segment file's name, or -1 when the name is not a segment's. */
    static long parseId(String fileName) {
        if (!fileName.startsWith(PREFIX) || !fileName.endsWith(SUFFIX)
                || fileName.length() != PREFIX.length() + 20 + SUFFIX.length()) {
            return -1;
        }
        String digits = fileName.substring(PREFIX.length(), PREFIX.length() + 20);
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) {
                return -1;
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Creates segment {@code id} in {@code directory}, its header written (not forced). */
    static Segment create(Path directory, long id) throws IOException {
        Path path = directory.resolve(fileName(id));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            writeHeader(ch, id);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        Segment s = new Segment(id, path, ch, SpoolConfig.SEGMENT_HEADER_BYTES);
        s.unforced = true;
        return s;
    }

    private static void writeHeader(FileChannel ch, long id) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(SpoolConfig.SEGMENT_HEADER_BYTES);
        header.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(id).flip();
        StateFile.writeFully(ch, header, 0);
    }

    /** Writes this segment's header again over a damaged one. */
    void repairHeader() throws IOException {
        writeHeader(channel, id);
        unforced = true;
    }

    static Segment openExisting(Path path, long id) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new Segment(id, path, ch, ch.size());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A record found by {@link #scan()}. */
    record Scanned(long sequence, Priority priority, long offset, int recordBytes) {
    }

    /**
     * What {@link #scan()} found.
     *
     * @param hasHeader whether the file is long enough to hold a header (a shorter one was cut short by a crash
     *     right after it was created, and holds nothing)
     * @param headerIntact whether that header is the right one for this segment's id; the records after a damaged
     *     header are still read, since each has its own CRC
     * @param records the records whose CRC matched, in file order
     * @param validEnd the offset just past the last good record (or past the header when there is none)
     * @param corruptRegions how many stretches of bad bytes lie between good records
     * @param corruptBytes how many bytes those stretches take
     */
    record ScanResult(boolean hasHeader, boolean headerIntact, List<Scanned> records, long validEnd, int corruptRegions,
            long corruptBytes) {
    }

    /**
     * Reads the whole file and returns every record whose CRC matches. A bad stretch (a flipped bit, a torn write) is
     * skipped by looking for the next offset at which a whole record with a matching CRC starts; a CRC32C makes a
     * false match there a one-in-four-billion event per offset tried.
     */
    ScanResult scan() throws IOException {
        long fileSize = channel.size();
        if (fileSize > Integer.MAX_VALUE - 8) {
            throw new IOException(path + " is too large to be a segment: " + fileSize + " bytes");
        }
        int n = (int) fileSize;
        ByteBuffer all = ByteBuffer.allocate(n);
        StateFile.readFully(channel, all, 0);
        byte[] data = all.array();
        int headerBytes = SpoolConfig.SEGMENT_HEADER_BYTES;
        ByteBuffer b = ByteBuffer.wrap(data);
        if (n < headerBytes) {
            return new ScanResult(false, false, List.of(), 0, 0, 0);
        }
        boolean headerIntact = b.getInt(0) == MAGIC && b.getShort(4) == VERSION && b.getLong(8) == id;
        List<Scanned> records = new ArrayList<>();
        int pos = headerBytes;
        int validEnd = headerBytes;
        int badStart = -1;
        int regions = 0;
        long badBytes = 0;
        CRC32C crc = new CRC32C();
        while (pos + SpoolConfig.RECORD_OVERHEAD_BYTES <= n) {
            int length = b.getInt(pos);
            if (length >= 9 && (long) pos + 8 + length <= n) {
                crc.reset();
                crc.update(data, pos, 4);
                crc.update(data, pos + 8, length);
                Priority priority = Priority.fromCode(data[pos + 8]);
                long sequence = b.getLong(pos + 9);
                if ((int) crc.getValue() == b.getInt(pos + 4) && priority != null && sequence >= 0) {
                    if (badStart >= 0) {
                        regions++;
                        badBytes += pos - badStart;
                        badStart = -1;
                    }
                    records.add(new Scanned(sequence, priority, pos, 8 + length));
                    pos += 8 + length;
                    validEnd = pos;
                    continue;
                }
            }
            if (badStart < 0) {
                badStart = pos;
            }
            pos++;
        }
        return new ScanResult(true, headerIntact, records, validEnd, regions, badBytes);
    }

    /** Cuts the file to {@code newSize} bytes (a torn or corrupt tail). */
    void truncate(long newSize) throws IOException {
        channel.truncate(newSize);
        size = newSize;
        unforced = true;
    }

    /** The framed record for {@code message}. */
    static ByteBuffer encode(SpooledMessage message) {
        byte[] payload = message.payloadNoCopy();
        int length = 9 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(8 + length);
        b.putInt(length).putInt(0).put(message.priority().code()).putLong(message.sequence()).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 4);
        crc.update(b.array(), 8, length);
        b.putInt(4, (int) crc.getValue());
        return b.flip();
    }

    /** Appends a framed record at the end of the file; returns its offset. On failure the file is cut back. */
    long append(ByteBuffer record) throws IOException {
        long offset = size;
        int bytes = record.remaining();
        try {
            StateFile.writeFully(channel, record, offset);
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(offset);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        size = offset + bytes;
        unforced = true;
        return offset;
    }

    /** The raw record of {@code recordBytes} bytes at {@code offset}. */
    ByteBuffer readRaw(long offset, int recordBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(recordBytes);
        StateFile.readFully(channel, b, offset);
        return b.flip();
    }

    /**
     * The message in {@code raw} if it is a whole, undamaged record of that sequence number and priority, else
     * {@code null}.
     */
    static SpooledMessage decode(ByteBuffer raw, long sequence, Priority priority) {
        if (raw.remaining() < SpoolConfig.RECORD_OVERHEAD_BYTES) {
            return null;
        }
        int length = raw.getInt(0);
        if (length < 9 || 8 + length != raw.remaining()) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(raw.array(), 0, 4);
        crc.update(raw.array(), 8, length);
        if ((int) crc.getValue() != raw.getInt(4) || raw.get(8) != priority.code() || raw.getLong(9) != sequence) {
            return null;
        }
        byte[] payload = new byte[length - 9];
        raw.get(17, payload);
        return new SpooledMessage(sequence, priority, payload);
    }

    void force() throws IOException {
        if (unforced) {
            channel.force(false);
            unforced = false;
        }
    }

    /** Bytes in this file that are neither header nor a live record: acknowledged, dropped or corrupt records. */
    long deadBytes() {
        return size - SpoolConfig.SEGMENT_HEADER_BYTES - liveBytes;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return path.getFileName() + "[size=" + size + ", live=" + liveCount + "/" + liveBytes + "B]";
    }
}
