package io.waybill.schemas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Finds the repository's {@code schemas/} folder from a test. */
final class SchemasFolder {

    private SchemasFolder() {
    }

    /**
     * The {@code schemas/} folder: {@code ${waybill.repo.root}/schemas} (set by the root pom's surefire
     * configuration), falling back to {@code ${basedir}/../schemas}.
     */
    static Path locate() {
        List<Path> candidates = new ArrayList<>();
        String repoRoot = System.getProperty("waybill.repo.root");
        if (repoRoot != null && !repoRoot.isBlank()) {
            candidates.add(Paths.get(repoRoot).resolve("schemas"));
        }
        String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        candidates.add(Paths.get(basedir).resolve("..").resolve("schemas"));
        return candidates.stream()
                .map(path -> path.toAbsolutePath().normalize())
                .filter(path -> Files.isDirectory(path.resolve("released")))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no schemas/released folder in any of " + candidates));
    }
}
