package io.waybill.domain.device;

/** Whether a registered device may report. A revoked device's messages are dead-lettered ({@code DEVICE_REVOKED}). */
public enum DeviceStatus {
    ACTIVE,
    REVOKED
}
