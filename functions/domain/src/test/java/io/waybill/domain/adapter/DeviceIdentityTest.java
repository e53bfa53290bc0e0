package io.waybill.domain.adapter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static io.waybill.domain.testing.RejectionAssert.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every device adapter refuses a payload that names another device than the thing that published it. The expected
 * details are written out by hand from the hostile samples ({@code events-samples/malformed/identity-mismatch-*.json}).
 */
class DeviceIdentityTest {
    private final RecordNormalizer normalizer = RecordNormalizer.standard();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            identity-mismatch-thermotrack.json  | thermotrack  | dev 'TT-0043' is not the publishing thing 'TT-0042'
            identity-mismatch-coldchainco.json  | coldchainco  | device.id 'CC-0010' is not the publishing thing 'CC-0009'
            identity-mismatch-frostbyte.json    | frostbyte    | deviceSerial 'FB-78' is not the publishing thing 'FB-77'
            identity-mismatch-gps-tracker.json  | gps-tracker  | imei '356938035643817' (thing 'IMEI-356938035643817') is not the publishing thing 'IMEI-356938035643809'
            identity-mismatch-rfid-portal.json  | rfid-portal  | readerId 'DOCK-DOOR-4' is not the publishing thing 'DOCK-DOOR-3'
            identity-mismatch-waybill-edge.json | waybill-edge | deviceId 'reefer-08' is not the publishing thing 'reefer-07'
            """)
    void payloadNamingAnotherDeviceIsRejectedNamingBothIds(String file, String adapter, String detail) {
        NormalizationResult result = normalizer.normalize(RawRecord.of(SampleCatalog.bytes("malformed/" + file), file));

        assertThat(result).isInstanceOf(NormalizationResult.Rejected.class);
        NormalizationResult.Rejected rejected = (NormalizationResult.Rejected) result;
        assertThat(rejected.reason()).as(rejected.detail()).isEqualTo(RejectionReason.IDENTITY_MISMATCH);
        assertThat(rejected.detail()).isEqualTo(detail);
        assertThat(rejected.adapter()).isEqualTo(adapter);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', textBlock = """
            raw/thermotrack/window-summary.json | thermotrack/TT-0043
            raw/coldchainco/reading.json        | coldchainco/CC-0010
            raw/frostbyte/reading-kelvin.json   | frostbyte/FB-78
            raw/gps-tracker/ping.json           | gps-tracker/IMEI-356938035643817
            raw/rfid-portal/dock-door-read.json | rfid-portal/DOCK-DOOR-4
            raw/waybill-edge/summary.json       | waybill-edge/reefer-08
            """)
    void genuineReadingPublishedByAnotherThingIsRejected(String sample, String route) {
        ObjectNode raw = (ObjectNode) SampleCatalog.json(sample);
        raw.put("wb_route", route);

        NormalizationResult result = normalizer.normalize(record(raw));

        assertThat(result).isInstanceOf(NormalizationResult.Rejected.class);
        assertThat(((NormalizationResult.Rejected) result).reason()).isEqualTo(RejectionReason.IDENTITY_MISMATCH);
    }

    @Test
    void gpsTrackerThingIsImeiPrefixedSoTheBareImeiIsAnotherThing() {
        ObjectNode ping = (ObjectNode) SampleCatalog.json("raw/gps-tracker/ping.json");

        assertRejected(() -> new GpsTrackerAdapter().adapt(new VendorPayload(ping), "356938035643809"),
                RejectionReason.IDENTITY_MISMATCH).isEqualTo(
                "imei '356938035643809' (thing 'IMEI-356938035643809') is not the publishing thing '356938035643809'");
        assertThat(new GpsTrackerAdapter().adapt(new VendorPayload(ping), "IMEI-356938035643809").data().subject())
                .isEqualTo("106141412345678908");
    }

    @Test
    void gpsPingWithoutItsImeiIsMissingAField() {
        ObjectNode ping = (ObjectNode) SampleCatalog.json("raw/gps-tracker/ping.json");
        ping.remove("imei");

        assertRejected(() -> new GpsTrackerAdapter().adapt(new VendorPayload(ping), "IMEI-356938035643809"),
                RejectionReason.MISSING_FIELD).isEqualTo("imei is required");
    }

    @Test
    void identityIsComparedExactlyNotIgnoringCase() {
        ObjectNode reading = (ObjectNode) SampleCatalog.json("raw/thermotrack/window-summary.json");

        assertRejected(() -> new ThermoTrackAdapter().adapt(new VendorPayload(reading), "tt-0042"),
                RejectionReason.IDENTITY_MISMATCH).isEqualTo("dev 'TT-0042' is not the publishing thing 'tt-0042'");
    }

    @Test
    void hostileLongClaimIsCutInTheDetail() {
        ObjectNode reading = (ObjectNode) SampleCatalog.json("raw/frostbyte/reading-kelvin.json");
        reading.put("deviceSerial", "F".repeat(1000));

        assertRejected(() -> new FrostByteAdapter().adapt(new VendorPayload(reading), "FB-77"),
                RejectionReason.IDENTITY_MISMATCH)
                .isEqualTo("deviceSerial '" + "F".repeat(64) + "...' is not the publishing thing 'FB-77'");
    }

    @Test
    void partnerMessagesCarryNoDeviceIdAndAreNotChecked() {
        ObjectNode arrived = (ObjectNode) SampleCatalog.json("raw/swiftlog/arrived.json");
        arrived.put("wb_route", "swiftlog/ANOTHER-PARTNER");

        assertThat(normalizer.normalize(record(arrived))).isInstanceOf(NormalizationResult.Normalized.class);
    }

    private static RawRecord record(ObjectNode raw) {
        return RawRecord.of(raw.toString().getBytes(StandardCharsets.UTF_8), "t");
    }
}
