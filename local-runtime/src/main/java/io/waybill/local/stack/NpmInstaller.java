package io.waybill.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code npm ci --no-audit --no-fund} in {@code local-runtime/} when the emulators' entry points are missing
 * from {@code node_modules} (package-lock.json pins their exact versions).
 */
final class NpmInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(NpmInstaller.class);

    /** Files that must exist under {@code node_modules} for the stack to start. */
    static final List<String> REQUIRED_FILES = List.of(
            "dynalite/cli.js", "kinesis-local/main.js", "kinesis-local/server.json", "s3rver/bin/s3rver.js",
            "@foundry-rs/anvil/package.json");

    private NpmInstaller() {
    }

    static boolean installed(Path runtimeDir) {
        Path modules = runtimeDir.resolve("node_modules");
        return REQUIRED_FILES.stream().allMatch(f -> Files.isRegularFile(modules.resolve(f)));
    }

    static synchronized void ensureInstalled(LocalStackConfig config, Path runtimeDir, Path logDir) {
        if (installed(runtimeDir)) {
            return;
        }
        Path log = logDir.resolve("npm-ci.log");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new EmulatorStartException(null, log, "cannot create log directory " + logDir, e);
        }
        List<String> command = List.of(config.npmCommand(), "ci", "--no-audit", "--no-fund");
        LOG.info("node_modules incomplete in {}: running {}", runtimeDir, String.join(" ", command));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(runtimeDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            throw new EmulatorStartException(null, log, "npm not found ('" + config.npmCommand()
                    + "'): install Node.js 20+ with npm, or run 'npm ci' in " + runtimeDir, e);
        }
        try {
            if (!process.waitFor(config.npmInstallTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                NodeEmulatorProcess.stopTree(process.toHandle(), config.stopGrace());
                throw new EmulatorStartException(null, log, "'npm ci' in " + runtimeDir + " did not finish within "
                        + config.npmInstallTimeout(), null);
            }
        } catch (InterruptedException e) {
            NodeEmulatorProcess.stopTree(process.toHandle(), config.stopGrace());
            Thread.currentThread().interrupt();
            throw new EmulatorStartException(null, log, "interrupted during 'npm ci'", e);
        }
        if (process.exitValue() != 0 || !installed(runtimeDir)) {
            throw new EmulatorStartException(null, log, "'npm ci' in " + runtimeDir + " failed (exit "
                    + process.exitValue() + ")", null);
        }
    }
}
