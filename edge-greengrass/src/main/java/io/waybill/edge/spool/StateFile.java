package io.waybill.edge.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The spool's state file: two fixed slots of {@value #SLOT_BYTES} bytes, each a complete copy of the
 * {@link SpoolState} with a generation number and a CRC32C. A write goes to the slot that does <em>not</em> hold the
 * last state forced to the device, so a write torn by a power cut can only damage that slot, and reading picks the
 * valid slot of the highest generation: no rename, no directory fsync, no temporary file.
 *
 * <pre>
 * slot:  u32 magic 'WBSS' | u16 version (1) | u16 0 | u32 bodyLength | u32 CRC32C(bodyLength, body) | body
 * body:  i64 generation | SpoolState (see SpoolState#encode)
 * </pre>
 */
final class StateFile implements Closeable {

    static final int SLOT_BYTES = 4096;
    private static final int MAGIC = 0x57425353; // "WBSS"
    private static final short VERSION = 1;
    private static final int SLOT_HEADER_BYTES = 16;

    private final FileChannel channel;
    private long generation;
    /** The slot holding the last state forced to the device, or -1 if none. */
    private int durableSlot;
    /** The slot last written, or -1. */
    private int writtenSlot = -1;
    private boolean unforced;

    private StateFile(FileChannel channel, long generation, int durableSlot) {
        this.channel = channel;
        this.generation = generation;
        this.durableSlot = durableSlot;
    }

    /** Result of {@link #open}: the file and the state it held ({@code null} when it held none). */
    record Opened(StateFile file, SpoolState state, boolean hadFile, int validSlots) {
    }

    static Opened open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            boolean hadFile = ch.size() > 0;
            SpoolState best = null;
            long bestGeneration = -1;
            int bestSlot = -1;
            int valid = 0;
            for (int slot = 0; slot < 2; slot++) {
                ByteBuffer b = ByteBuffer.allocate(SLOT_BYTES);
                readFully(ch, b, (long) slot * SLOT_BYTES);
                b.flip();
                Parsed p = parse(b);
                if (p != null) {
                    valid++;
                    if (p.generation > bestGeneration) {
                        best = p.state;
                        bestGeneration = p.generation;
                        bestSlot = slot;
                    }
                }
            }
            // What was read may still be only in the page cache (the process died, the kernel did not): force it, so
            // that the slot it is in can be trusted as the durable one.
            ch.force(false);
            return new Opened(new StateFile(ch, Math.max(bestGeneration, 0), bestSlot), best, hadFile, valid);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private record Parsed(long generation, SpoolState state) {
    }

    private static Parsed parse(ByteBuffer b) {
        if (b.remaining() < SLOT_HEADER_BYTES || b.getInt() != MAGIC || b.getShort() != VERSION) {
            return null;
        }
        b.getShort();
        int length = b.getInt();
        int crc = b.getInt();
        if (length < 8 || length > b.remaining()) {
            return null;
        }
        ByteBuffer body = b.slice(b.position(), length);
        if (crc(length, body.duplicate()) != crc) {
            return null;
        }
        long generation = body.getLong();
        SpoolState state = SpoolState.decode(body);
        return state == null ? null : new Parsed(generation, state);
    }

    private static int crc(int length, ByteBuffer body) {
        CRC32C c = new CRC32C();
        c.update(ByteBuffer.allocate(4).putInt(0, length));
        c.update(body);
        return (int) c.getValue();
    }

    /** Writes {@code state} to the slot that is not the durable one; {@link #force()} makes it durable. */
    void write(SpoolState state) throws IOException {
        int length = 8 + SpoolState.encodedBytes(state.runs.size());
        if (SLOT_HEADER_BYTES + length > SLOT_BYTES) {
            throw new IllegalStateException("state of " + length + " bytes does not fit a slot");
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        body.putLong(++generation);
        state.encode(body);
        body.flip();
        ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES);
        slot.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putInt(length).putInt(crc(length, body.duplicate()));
        slot.put(body);
        slot.clear(); // the whole slot: zeroes after the body
        int target = durableSlot == 0 ? 1 : 0;
        writeFully(channel, slot, (long) target * SLOT_BYTES);
        writtenSlot = target;
        unforced = true;
    }

    /** Forces the last write to the device; from then on it is the slot the next write must not touch. */
    void force() throws IOException {
        if (unforced) {
            channel.force(false);
            durableSlot = writtenSlot;
            unforced = false;
        }
    }

    boolean isUnforced() {
        return unforced;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, position);
            if (n < 0) {
                return;
            }
            position += n;
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            position += ch.write(b, position);
        }
    }
}
