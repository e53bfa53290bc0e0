package io.waybill.provisioning;

import io.waybill.domain.device.DeviceStatus;

import java.util.Objects;

/**
 * What the pre-provisioning hook needs of a registry profile (item {@code device#<thing>} / {@code profile}): the
 * thing, the adapter it publishes under and whether it may still report.
 */
public record DeviceProfile(String thing, String adapter, DeviceStatus status) {
    public DeviceProfile {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(status, "status");
    }
}
