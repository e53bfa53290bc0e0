package io.waybill.edge.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers that act on a spool's files the way a crash or a damaged flash cell would. */
final class SpoolFiles {

    private SpoolFiles() {
    }

    /**
     * What a process that dies now leaves behind: the files as they are (the kernel keeps what was written), copied to
     * {@code to} while the spool in {@code from} stays open and is never closed. Opening {@code to} is the restart.
     */
    static Path crashCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Segment.parseId(p.getFileName().toString()) >= 0).sorted().toList();
        }
    }

    static Path lastSegment(Path dir) throws IOException {
        List<Path> segments = segmentFiles(dir);
        return segments.get(segments.size() - 1);
    }

    static long segmentBytesOnDisk(Path dir) throws IOException {
        long total = 0;
        for (Path p : segmentFiles(dir)) {
            total += Files.size(p);
        }
        return total;
    }

    static void truncateBy(Path file, int bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - bytes);
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, offset);
        }
    }

    /** The offset of the first occurrence of {@code needle} in {@code file}. */
    static long indexOf(Path file, byte[] needle) throws IOException {
        byte[] data = Files.readAllBytes(file);
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found in " + file + ": " + new String(needle, StandardCharsets.UTF_8));
    }

    /** A recognisable payload for sequence number {@code seq}, padded to at least {@code size} bytes. */
    static byte[] payload(long seq, int size) {
        byte[] head = ("{\"seq\":" + seq + ",\"pad\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, Math.max(size, head.length + 2));
        Arrays.fill(out, head.length, out.length - 2, (byte) ('a' + (int) (seq % 26)));
        out[out.length - 2] = '"';
        out[out.length - 1] = '}';
        return out;
    }
}
