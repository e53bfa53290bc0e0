package io.waybill.infra;

/**
 * The app's context is wrong (an unknown key, an invalid value): a user error. {@link WaybillApp#main} prints its
 * message as one line and exits with {@value WaybillApp#USAGE_ERROR_EXIT}, without a stack trace.
 */
public final class StageConfigException extends IllegalArgumentException {
    public StageConfigException(String message) {
        super(message);
    }

    public StageConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
