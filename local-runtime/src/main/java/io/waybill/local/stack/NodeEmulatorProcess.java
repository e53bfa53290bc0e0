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
 *
 * <p>Every emulator runs behind {@code emulators/emulator-guard.cjs} ({@code node --require}), which makes it listen
 * on the stack's host only (kinesis-mock binds the wildcard address otherwise) and end when this JVM ends, however it
 * ends: the guard watches its stdin, a pipe this object holds open, and exits when the pipe closes.
 */
final class NodeEmulatorProcess {

    private static final Logger LOG = LoggerFactory.getLogger(NodeEmulatorProcess.class);

    private final Emulator emulator;
    private final int port;
    private final Path logFile;
    private final Process process;

    /** The guard's classpath resource, copied next to the logs so that node can load it from a file. */
    static final String GUARD_RESOURCE = "emulators/emulator-guard.cjs";
    /** The native emulators' guard (anvil): Node runs the binary as its child and kills it when stdin ends. */
    static final String NATIVE_GUARD_RESOURCE = "emulators/native-guard.cjs";

    private NodeEmulatorProcess(Emulator emulator, int port, Path logFile, Process process) {
        this.emulator = emulator;
        this.port = port;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Launches {@code node --require <guard> script args...} in {@code workDir} with the extra environment, stdout
     * and stderr to {@code logFile}; the guard binds every server to {@code bindHost}.
     *
     * @param nodeCommand   the node executable
     * @param scriptAndArgs the emulator's entry script and its arguments
     */
    static NodeEmulatorProcess launch(Emulator emulator, int port, String nodeCommand, List<String> scriptAndArgs,
                                      Map<String, String> env, String bindHost, Path workDir, Path logFile) {
        Path guard;
        try {
            Files.createDirectories(logFile.getParent());
            guard = installGuard(logFile.getParent());
        } catch (IOException e) {
            throw new EmulatorStartException(emulator, logFile, "cannot create log directory or emulator guard", e);
        }
        List<String> command = new java.util.ArrayList<>(List.of(nodeCommand, "--require", guard.toString()));
        command.addAll(scriptAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE); // held open for the process' life: see the class doc
        builder.environment().putAll(env);
        builder.environment().put("WAYBILL_BIND_HOST", bindHost);
        try {
            Process process = builder.start();
            LOG.debug("started {} pid={} port={} command={}", emulator.emulatorName(), process.pid(), port, command);
            return new NodeEmulatorProcess(emulator, port, logFile, process);
        } catch (IOException e) {
            throw new EmulatorStartException(emulator, logFile, "cannot run '" + command.get(0)
                    + "' (is Node.js 20+ installed and on the PATH?): " + e.getMessage(), e);
        }
    }

    /**
     * Launches a native emulator (anvil): {@code node native-guard.cjs command...} in {@code workDir}, stdout and
     * stderr to {@code logFile}. The binary binds the host it is given on its command line; the guard makes it die
     * with this JVM, even a SIGKILLed one (stdin, a pipe held open here, ends), as the Node emulators do.
     */
    static NodeEmulatorProcess launchExecutable(Emulator emulator, int port, String nodeCommand, List<String> command,
                                                Path workDir, Path logFile) {
        Path guard;
        try {
            Files.createDirectories(logFile.getParent());
            guard = installResource(logFile.getParent(), NATIVE_GUARD_RESOURCE);
        } catch (IOException e) {
            throw new EmulatorStartException(emulator, logFile, "cannot create log directory or native guard", e);
        }
        List<String> guarded = new java.util.ArrayList<>(List.of(nodeCommand, guard.toString()));
        guarded.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(guarded)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE); // held open for the process' life: see the class doc
        try {
            Process process = builder.start();
            LOG.debug("started {} pid={} port={} command={}", emulator.emulatorName(), process.pid(), port, guarded);
            return new NodeEmulatorProcess(emulator, port, logFile, process);
        } catch (IOException e) {
            throw new EmulatorStartException(emulator, logFile, "cannot run '" + nodeCommand
                    + "' (is Node.js 20+ installed and on the PATH?): " + e.getMessage(), e);
        }
    }

    /** Writes the guard into {@code dir} (atomically: several stacks may share the directory) unless it is there. */
    static Path installGuard(Path dir) throws IOException {
        return installResource(dir, GUARD_RESOURCE);
    }

    /** Writes the classpath resource into {@code dir} under its file name, atomically, unless it is there already. */
    static Path installResource(Path dir, String resource) throws IOException {
        byte[] content;
        try (java.io.InputStream in = NodeEmulatorProcess.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("classpath resource " + resource + " is missing");
            }
            content = in.readAllBytes();
        }
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        Path file = dir.resolve(name);
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), content)) {
            return file;
        }
        Path tmp = Files.createTempFile(dir, name, ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
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
