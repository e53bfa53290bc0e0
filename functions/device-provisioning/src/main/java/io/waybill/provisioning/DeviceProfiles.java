package io.waybill.provisioning;

import java.util.Optional;

/** The device registry as the hook reads it: one thing's profile, read fresh (a revocation must count at once). */
public interface DeviceProfiles {
    /**
     * The registered profile of {@code thing}, empty when the registry does not hold it.
     *
     * @throws RegistryUnavailableException when the registry cannot be read (the hook fails, IoT refuses the request)
     */
    Optional<DeviceProfile> find(String thing);
}
