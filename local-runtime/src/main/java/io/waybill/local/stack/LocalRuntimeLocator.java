package io.waybill.local.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the {@code local-runtime/} directory, the one holding {@code package.json} and {@code node_modules} with the
 * npm emulators. In order:
 * <ol>
 *   <li>the system property {@value #REPO_ROOT_PROPERTY} (the root pom's Surefire configuration sets it to the
 *       Maven multi-module root);</li>
 *   <li>the environment variable {@value #HOME_ENV};</li>
 *   <li>the working directory and each of its parents.</li>
 * </ol>
 * Each candidate is accepted if it contains {@code local-runtime/package.json}, or is itself a directory named
 * {@code local-runtime} containing {@code package.json}.
 */
public final class LocalRuntimeLocator {

    /** System property naming the repository root. */
    public static final String REPO_ROOT_PROPERTY = "waybill.repo.root";
    /** Environment variable naming the repository root. */
    public static final String HOME_ENV = "WAYBILL_HOME";
    /** Name of the module directory. */
    public static final String MODULE_DIR = "local-runtime";

    private LocalRuntimeLocator() {
    }

    /**
     * @return the {@code local-runtime/} directory, absolute and normalized
     * @throws EmulatorStartException if no candidate matches (the message lists what was tried)
     */
    public static Path locate() {
        List<String> tried = new ArrayList<>();
        String property = System.getProperty(REPO_ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            Optional<Path> found = accept(Path.of(property));
            if (found.isPresent()) {
                return found.get();
            }
            tried.add("-D" + REPO_ROOT_PROPERTY + "=" + property);
        }
        String env = System.getenv(HOME_ENV);
        if (env != null && !env.isBlank()) {
            Optional<Path> found = accept(Path.of(env));
            if (found.isPresent()) {
                return found.get();
            }
            tried.add(HOME_ENV + "=" + env);
        }
        Path dir = Path.of("").toAbsolutePath();
        tried.add("working directory " + dir + " and its parents");
        for (Path p = dir; p != null; p = p.getParent()) {
            Optional<Path> found = accept(p);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new EmulatorStartException(null, null, "cannot find the " + MODULE_DIR
                + "/ directory (with package.json); tried " + String.join(", ", tried)
                + ". Set -D" + REPO_ROOT_PROPERTY + " or " + HOME_ENV + " to the repository root.", null);
    }

    static Optional<Path> accept(Path candidate) {
        Path abs = candidate.toAbsolutePath().normalize();
        Path nested = abs.resolve(MODULE_DIR);
        if (Files.isRegularFile(nested.resolve("package.json"))) {
            return Optional.of(nested);
        }
        if (abs.getFileName() != null && abs.getFileName().toString().equals(MODULE_DIR)
                && Files.isRegularFile(abs.resolve("package.json"))) {
            return Optional.of(abs);
        }
        return Optional.empty();
    }
}
