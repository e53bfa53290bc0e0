package io.waybill.local.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One emulator running as a Node.js child process, its output appended to a log file. Package-private: the stack
 * owns it.
 */
final class NodeEmulatorProcess {

    private static final Logger LOG = LoggerFactory.getLogger(NodeEmulatorProcess.class);

    private final Emulator emulator;
    private final int port;
    private final Path logFile;
    private final Process process;

    private NodeEmulatorProcess(Emulator emulator, int port, Path logFile, Process process) {
        this.emulator = emulator;
        this.port = port;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Launches {@code command} in {@code workDir} with the extra environment, stdout and stderr to {@code logFile}.
     */
    static NodeEmulatorProcess launch(Emulator emulator, int port, List<String> command, Map<String, String> env,
                                      Path workDir, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
        } catch (IOException e) {
            throw new EmulatorStartException(emulator, logFile, "cannot create log directory", e);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            LOG.debug("started {} pid={} port={} command={}", emulator.emulatorName(), process.pid(), port, command);
            return new NodeEmulatorProcess(emulator, port, logFile, process);
        } catch (IOException e) {
            throw new EmulatorStartException(emulator, logFile, "cannot run '" + command.get(0)
                    + "' (is Node.js 20+ installed and on the PATH?): " + e.getMessage(), e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    Emulator emulator() {
        return emulator;
    }

    int port() {
        return port;
    }

    Path logFile() {
        return logFile;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Last lines of the log, for error messages. */
    String logTail(int maxLines) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join(System.lineSeparator(),
                    lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops the process and its descendants: a polite destroy (SIGTERM), then a forced kill of whatever is still
     * alive after {@code grace}.
     */
    void stop(Duration grace) {
        stopTree(process.toHandle(), grace);
    }

    static void stopTree(ProcessHandle root, Duration grace) {
        // Snapshot the tree first: once the parent is gone its children are re-parented and unreachable.
        List<ProcessHandle> tree = new java.util.ArrayList<>(root.descendants().toList());
        tree.add(0, root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : tree) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                // timed out or failed: forced below
            }
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                LOG.debug("pid {} ignored SIGTERM for {}; killing", h.pid(), grace);
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("pid {} still alive after kill", h.pid());
            }
        }
    }
}
