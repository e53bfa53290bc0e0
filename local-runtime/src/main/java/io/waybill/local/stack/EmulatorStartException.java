package io.waybill.local.stack;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An emulator of the local stack could not be started, or did not answer a real API call in time. The message
 * names the emulator and the log file to read; {@link #logFile()} gives it too.
 */
public class EmulatorStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Emulator emulator;
    private final transient Path logFile;

    /**
     * @param emulator which emulator failed (may be {@code null} for a failure common to all, e.g. npm missing)
     * @param logFile  where its output went (may be {@code null}: ElasticMQ logs through SLF4J)
     * @param message  what went wrong (the emulator and log file are appended)
     * @param cause    underlying failure, or {@code null}
     */
    public EmulatorStartException(Emulator emulator, Path logFile, String message, Throwable cause) {
        super(compose(emulator, logFile, message), cause);
        this.emulator = emulator;
        this.logFile = logFile;
    }

    private static String compose(Emulator emulator, Path logFile, String message) {
        StringBuilder text = new StringBuilder();
        if (emulator != null) {
            text.append(emulator.emulatorName()).append(" (").append(emulator.serviceName()).append(" emulator): ");
        }
        text.append(message);
        if (logFile != null) {
            text.append(" [log: ").append(logFile.toAbsolutePath()).append(']');
        }
        return text.toString();
    }

    /** @return the emulator that failed, if the failure concerns one */
    public Optional<Emulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    /** @return the log file of the failed emulator, if it has one */
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }
}
