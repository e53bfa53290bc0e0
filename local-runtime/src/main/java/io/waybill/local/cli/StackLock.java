package io.waybill.local.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * The one running {@code ./waybill stack} of a repository: an OS file lock on {@code .waybill/stack.lock}
 * ({@link FileChannel#tryLock()}), held by the stack's JVM for its lifetime and released by the OS however that JVM
 * ends (even {@code kill -9}). Taking it is atomic, so two stacks started at once cannot both win. The file holds
 * the holder's PID and start instant, one line, for the refusal message; its content is never trusted for the
 * decision, the lock is.
 */
final class StackLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StackLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path file(Path repoRoot) {
        return repoRoot.resolve(".waybill").resolve("stack.lock");
    }

    /** Who holds the lock, as its file says: PID and start instant (absent while the holder is writing it). */
    record Holder(long pid, Instant startedAt) {
    }

    /**
     * Takes the lock for this process, or reports who has it.
     *
     * @return the lock, or empty when another process (or this one) holds it
     */
    static Optional<StackLock> tryAcquire(Path repoRoot) {
        Path f = file(repoRoot);
        FileChannel channel = null;
        try {
            Files.createDirectories(f.getParent());
            channel = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already
            }
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            ProcessHandle self = ProcessHandle.current();
            String line = self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("-") + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return Optional.of(new StackLock(channel, lock));
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new UncheckedIOException("cannot open " + f, e);
        }
    }

    /** Whether some process holds the lock now (a probe: takes and releases it when free, writes nothing). */
    static boolean held(Path repoRoot) {
        Path f = file(repoRoot);
        if (!Files.exists(f)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this JVM holds it
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + f, e);
        }
    }

    /** The holder the lock file names, when it names one. */
    static Optional<Holder> holder(Path repoRoot) {
        try {
            String[] parts = Files.readString(file(repoRoot), StandardCharsets.US_ASCII).trim().split(" ");
            if (parts.length != 2) {
                return Optional.empty();
            }
            return Optional.of(new Holder(Long.parseLong(parts[0]), "-".equals(parts[1]) ? null
                    : Instant.parse(parts[1])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        release(true);
    }

    private void release(boolean clear) {
        try {
            if (clear) {
                channel.truncate(0);
            }
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the OS releases the lock when the process ends anyway
        }
    }
}
