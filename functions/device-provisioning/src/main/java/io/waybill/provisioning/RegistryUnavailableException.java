package io.waybill.provisioning;

/**
 * The registry could not be read, or holds a profile the hook cannot make sense of. Transient or not, provisioning is
 * refused for this request (the hook throws; AWS IoT answers the device with ACCESS_DENIED) and the device retries.
 */
public final class RegistryUnavailableException extends RuntimeException {
    private final String thing;

    public RegistryUnavailableException(String thing, String message, Throwable cause) {
        super(message, cause);
        this.thing = thing;
    }

    public String thing() {
        return thing;
    }
}
