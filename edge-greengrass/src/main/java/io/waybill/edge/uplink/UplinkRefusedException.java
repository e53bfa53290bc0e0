package io.waybill.edge.uplink;

/**
 * The broker refused a publish for good: another attempt of the same message gets the same answer (not authorised,
 * invalid topic or payload format, larger than the broker takes). The component counts these per message and
 * quarantines the message after {@code uplink.quarantineAfter} of them, so one such message cannot block the spool.
 */
public class UplinkRefusedException extends UplinkException {
    private final String reason;

    public UplinkRefusedException(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    /** The broker's reason (an MQTT 5 reason code name such as {@code NOT_AUTHORIZED}, or {@code TOO_LARGE}). */
    public String reason() {
        return reason;
    }
}
