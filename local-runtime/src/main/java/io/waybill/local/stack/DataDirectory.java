package io.waybill.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The on-disk state an emulator or a simulated device leaves behind (s3rver's objects, an edge spool). */
public final class DataDirectory {
    private DataDirectory() {
    }

    /**
     * Deletes a directory and everything in it; nothing when it does not exist.
     *
     * @throws UncheckedIOException when something in it cannot be deleted
     */
    public static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
