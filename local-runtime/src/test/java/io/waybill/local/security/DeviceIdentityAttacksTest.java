package io.waybill.local.security;

import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security suite: every way a device could write where it does not belong, each tried once from a device over
 * mutual TLS through the broker, the IoT rule CDK deploys and ingest with the registry enforced. Each must be refused
 * where this table (written from the threat list, not from the code) says, and none may be stored.
 */
@Timeout(300)
class DeviceIdentityAttacksTest {
    /** Where each attack must be stopped. The two legitimate messages must be stored, or the suite proves nothing. */
    private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("legitimate signed message", "stored");
        EXPECTED.put("legitimate message much later in the sequence", "stored");
        EXPECTED.put("spoofed routing fields", "rule");
        EXPECTED.put("another device's id in the payload", "dead letter IDENTITY_MISMATCH");
        EXPECTED.put("a shipment not assigned to the device", "dead letter UNASSIGNED");
        EXPECTED.put("unsigned message", "dead letter UNSIGNED");
        EXPECTED.put("forged signature", "dead letter BAD_SIGNATURE");
        EXPECTED.put("replayed sequence", "dead letter REPLAYED");
        EXPECTED.put("publish on another adapter's topic", "broker");
        EXPECTED.put("revoked certificate", "broker");
    }

    @TempDir
    static Path dir;
    private static LocalAwsStack stack;
    private static LocalPipeline pipeline;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        pipeline = LocalPipeline.builder(stack.clients()).names(PipelineNames.withPrefix("sec")).shards(1)
                .enforceDeviceRegistry(true).deploy();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyAttackIsRefusedWhereExpectedAndNoneIsAccepted() throws Exception {
        IdentityAttacks.Report report = new IdentityAttacks(pipeline, pipeline.deviceRegistry(), dir).run();

        Map<String, String> observed = new LinkedHashMap<>();
        report.outcomes().forEach(o -> observed.put(o.name(), o.defence().startsWith("broker") ? "broker" : o.defence()));
        assertThat(observed).containsExactlyEntriesOf(EXPECTED);
        assertThat(report.attacksTried()).isEqualTo(8);
        assertThat(report.attacksAccepted()).isZero();
        assertThat(report.controlsStored()).isEqualTo(2);
        assertThat(pipeline.storedEvents()).as("only the two legitimate messages are in the event store").hasSize(2);
    }
}
