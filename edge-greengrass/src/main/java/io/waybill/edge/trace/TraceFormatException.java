package io.waybill.edge.trace;

/** A trace file line that is not {@code sensorId,epochMillis,value}. */
public final class TraceFormatException extends IllegalArgumentException {
    private final int lineNumber;

    public TraceFormatException(int lineNumber, String message, Throwable cause) {
        super("line " + lineNumber + ": " + message, cause);
        this.lineNumber = lineNumber;
    }

    /** 1-based. */
    public int lineNumber() {
        return lineNumber;
    }
}
