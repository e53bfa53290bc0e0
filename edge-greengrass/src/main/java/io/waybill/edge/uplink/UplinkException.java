package io.waybill.edge.uplink;

/** A publish that the broker refused or that could not be confirmed. */
public class UplinkException extends RuntimeException {
    public UplinkException(String message) {
        super(message);
    }

    public UplinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
