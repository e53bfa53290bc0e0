package io.waybill.domain.adapter;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

/**
 * The check every device adapter makes before it reads anything else: the device id the payload claims must be the
 * authenticated producer, the thing name the IoT rule puts in {@code wb_route} from the MQTT topic (which the device
 * policy binds to the certificate's thing). A payload naming another device is {@link RejectionReason#IDENTITY_MISMATCH}:
 * a message published under another device's identity, or a misconfigured device. The thing-name rule of each vendor
 * (the payload id itself, or a fixed prefix plus it) is in {@code events-samples/README.md}.
 */
final class DeviceIdentity {
    /** Longer claims are cut in the rejection detail (a hostile payload chooses its length). */
    private static final int MAX_QUOTED_LENGTH = 64;

    private DeviceIdentity() {
    }

    /**
     * @param field      the payload field that names the device (for the rejection detail)
     * @param claimed    its value
     * @param producerId the authenticated thing name, second segment of {@code wb_route}
     * @return {@code claimed}
     * @throws RejectedRecordException {@link RejectionReason#IDENTITY_MISMATCH} when the thing name is not {@code claimed}
     */
    static String requireThing(String field, String claimed, String producerId) {
        return requireThing(field, claimed, "", producerId);
    }

    /**
     * As {@link #requireThing(String, String, String)} for a vendor whose thing names are {@code thingPrefix} followed
     * by the payload's device id (e.g. GPS trackers: thing {@code IMEI-356938035643809} for IMEI {@code 356938035643809}).
     */
    static String requireThing(String field, String claimed, String thingPrefix, String producerId) {
        if (!(thingPrefix + claimed).equals(producerId)) {
            String thing = thingPrefix.isEmpty() ? "" : " (thing '" + abbreviate(thingPrefix + claimed) + "')";
            throw new RejectedRecordException(RejectionReason.IDENTITY_MISMATCH, field + " '" + abbreviate(claimed)
                    + "'" + thing + " is not the publishing thing '" + producerId + "'");
        }
        return claimed;
    }

    /** {@code s}, cut to 64 characters and an ellipsis when longer: for quoting payload values in a rejection. */
    static String abbreviate(String s) {
        return s.length() <= MAX_QUOTED_LENGTH ? s : s.substring(0, MAX_QUOTED_LENGTH) + "...";
    }
}
