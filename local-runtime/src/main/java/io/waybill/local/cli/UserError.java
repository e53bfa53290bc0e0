package io.waybill.local.cli;

/**
 * A failure the user can act on (a wrong option value, no running stack, an unreachable broker): the command line
 * prints its message as ONE line on stderr, prefixed with the command, and exits with {@link #exitCode()}; the stack
 * trace goes to the command's log file only.
 */
final class UserError extends RuntimeException {
    /** Exit code of a usage error: a bad option, a bad value, input that cannot be judged. */
    static final int USAGE = 2;
    /** Exit code of a command that could not do its work (no running stack, records not delivered). */
    static final int FAILED = 1;

    private final int exitCode;

    UserError(int exitCode, String message) {
        this(exitCode, message, null);
    }

    UserError(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static UserError usage(String message) {
        return new UserError(USAGE, message);
    }

    static UserError failed(String message) {
        return new UserError(FAILED, message);
    }

    int exitCode() {
        return exitCode;
    }

    /**
     * The distinct messages of {@code t}'s cause chain joined by ": " (a message-less exception by its simple class
     * name), on one line: what a user reads instead of a stack trace.
     */
    static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            String m = c.getMessage() == null || c.getMessage().isBlank() ? c.getClass().getSimpleName()
                    : c.getMessage().strip();
            if (c.getCause() != null && m.equals(String.valueOf(c.getCause()))) {
                continue; // a wrapper whose message is only its cause's toString()
            }
            if (b.indexOf(m) >= 0) {
                continue;
            }
            if (b.length() > 0) {
                b.append(": ");
            }
            b.append(m);
        }
        return b.toString().replaceAll("\\s*\\R\\s*", " ");
    }
}
