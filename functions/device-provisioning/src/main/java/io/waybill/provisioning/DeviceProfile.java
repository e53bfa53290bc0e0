package io.waybill.provisioning;

import io.waybill.domain.device.DeviceStatus;

import java.security.interfaces.ECPublicKey;
import java.util.Map;
import java.util.Objects;

/**
 * What the pre-provisioning hook needs of a registry profile (item {@code device#<thing>} / {@code profile}): the
 * thing, the adapter it publishes under, whether it may still report, and its registered signing keys (key id to
 * public key; empty for a device that cannot sign).
 */
public record DeviceProfile(String thing, String adapter, DeviceStatus status, Map<String, ECPublicKey> keys) {
    public DeviceProfile {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(status, "status");
        keys = Map.copyOf(keys);
    }

    /** A device registered without a signing key. */
    public DeviceProfile(String thing, String adapter, DeviceStatus status) {
        this(thing, adapter, status, Map.of());
    }
}
