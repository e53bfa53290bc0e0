package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 items 8 and 9: a user error is one line on stderr saying what is wrong (then the command's usage for an
 * option error), exit 2, never a stack trace; every command rejects an unknown option. No emulator is started: each
 * of these fails before a command does any work.
 */
class WaybillCliUsageErrorsTest {
    @TempDir
    Path root;

    @Test
    void strayArgumentToPublishIsOneLineAndExitTwo() {
        CliRun r = CliRun.of(root, "publish", "foo");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill publish: ").contains("'foo'");
        assertThat(r.err()).contains("Usage: waybill publish");
        assertThat(r.hasNoStackTrace()).as(r.err()).isTrue();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void nonNumericReefersIsOneLineNamingOptionAndValue() {
        CliRun r = CliRun.of(root, "simulate", "--reefers", "abc");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill simulate: ").contains("--reefers", "'abc'");
        assertThat(r.err()).contains("usage: ./waybill simulate"); // simulate's own usage text
        assertThat(r.hasNoStackTrace()).as(r.err()).isTrue();
    }

    @Test
    void nonNumericShipmentsForTheDemoIsOneLineAndExitTwo() {
        CliRun r = CliRun.of(root, "demo", "--shipments", "x");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill demo: ").contains("--shipments", "'x'");
        assertThat(r.hasNoStackTrace()).as(r.err()).isTrue();
    }

    @Test
    void anApiPortWithoutServeIsAUsageErrorOfTheDemo() {
        CliRun r = CliRun.of(root, "demo", "--api-port", "8787");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill demo: ").contains("--api-port is only used with --serve");
        assertThat(r.hasNoStackTrace()).as(r.err()).isTrue();
    }

    @Test
    void anApiPortOutOfRangeIsAUsageErrorOfTheStack() {
        CliRun r = CliRun.of(root, "stack", "--api-port", "65536");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill stack: ").contains("0 to 65535, was 65536");
        assertThat(r.hasNoStackTrace()).as(r.err()).isTrue();
    }

    @Test
    void zeroShipmentsForTheDemoIsAUsageError() {
        CliRun r = CliRun.of(root, "demo", "--shipments", "0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("--shipments must be at least 1, was 0");
    }

    @Test
    void unreachableBrokerIsOneLineWithTheCauseAndExitTwo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CliRun r = CliRun.of(root, "simulate", "--broker", "tcp://127.0.0.1:" + closedPort, "--timeout", "1",
                "--reefers", "0", "--gps", "1", "--rfid", "0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("waybill simulate: cannot connect to MQTT broker tcp://127.0.0.1:"
                + closedPort).contains("CONNECTION_REFUSED");
        assertThat(r.hasNoStackTrace()).as(r.err()).isTrue();
    }

    @Test
    void brokerAddressThatIsNotTcpIsAUsageError() {
        CliRun r = CliRun.of(root, "simulate", "--broker", "foo://x");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("only plain tcp:// brokers");
        assertThat(r.hasNoStackTrace()).as(r.err()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"normalize", "stack", "incidents", "kpis", "publish", "replay", "replay-dlq", "backfill",
            "simulate",
            "demo",
            "bench", "devices", "token"})
    void everyCommandRejectsAnUnknownOptionWithItsUsage(String command) {
        CliRun r = CliRun.of(root, command, "--bogus");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).isEqualTo("waybill " + command + ": Unknown option: '--bogus'");
        assertThat(r.err()).containsIgnoringCase("usage: ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void benchOnlyAnUnknownBenchmarkIsRefusedInsteadOfMeasuringNothing() {
        CliRun r = CliRun.of(root, "bench", "--only", "P99");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).isEqualTo(
                "waybill bench: unknown benchmark 'P99' for --only (expected P1, P2, P3, P4, P5, P7, P8, P9, P10)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void ackWithoutAnIdIsAUsageError() {
        CliRun r = CliRun.of(root, "incidents", "--ack");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill incidents: ").contains("--ack");
    }

    @Test
    void resolveWithoutAResolutionIsAUsageError() {
        CliRun r = CliRun.of(root, "incidents", "--resolve", "cold-chain/x/y");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("--resolve needs --resolution TEXT");
    }

    @Test
    void anUnknownDispositionIsAUsageError() {
        CliRun r = CliRun.of(root, "incidents", "--resolve", "cold-chain/x/y", "--disposition", "recycle");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("--disposition is release, reject or destroy, not 'recycle'");
    }

    @Test
    void aDispositionWithoutAnIncidentIdIsAUsageError() {
        CliRun r = CliRun.of(root, "incidents", "--disposition", "release");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("--disposition goes with --resolve ID");
    }

    @Test
    void twoActionsAtOnceAreAUsageError() {
        CliRun r = CliRun.of(root, "incidents", "--ack", "cold-chain/x/y", "--release-hold", "106141412345678908");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("give one of --ack, --resolve, --release-hold");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "--source bogus|unknown --source 'bogus' (expected dead-letters, failed-batches or all)",
            "--reason OVERSIZED,NOPE|unknown --reason 'NOPE' (expected one of MALFORMED_JSON,",
            "--source failed-batches --reason OVERSIZED|--reason selects dead letters: it does not go with --source failed-batches",
            "--source failed-batches --force|--all-reasons selects dead letters: it does not go with --source failed-batches",
            "--profile ops|--profile goes with --stage NAME",
            "--region eu-west-1|--region goes with --stage NAME",
            "--stage Prod|--stage: 'Prod' is not a stage name"})
    void replayOptionsThatDoNotFitAreUsageErrorsBeforeAnythingIsTouched(String options, String message) {
        String[] args = ("replay " + options).split(" ");

        CliRun r = CliRun.of(root, args);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill replay: " + message);
        assertThat(r.err()).containsIgnoringCase("usage: ");
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "--to 2026-12-01T10|--from yyyy-MM-ddTHH is required",
            "--from 2026-12-01T10|--to yyyy-MM-ddTHH is required",
            "--from 2026-12-01 --to 2026-12-01T10|--from '2026-12-01' is no UTC hour (expected yyyy-MM-ddTHH",
            "--from 2026-12-01T10:30 --to 2026-12-01T11|--from '2026-12-01T10:30' is not the start of an hour",
            "--from 2026-12-01T10 --to 2026-12-01T09|--to 2026-12-01T09:00:00Z is before --from 2026-12-01T10:00:00Z",
            "--from 2026-01-01T00 --to 2026-02-01T00|--from 2026-01-01T00:00:00Z --to 2026-02-01T00:00:00Z spans 745 hours, more than the 744",
            "--from 2026-12-01T10 --to 2026-12-01T10 --profile ops|--profile goes with --stage NAME",
            "--from 2026-12-01T10 --to 2026-12-01T10 --stage Prod|--stage: 'Prod' is not a stage name"})
    void backfillOptionsThatDoNotFitAreUsageErrorsBeforeAnythingIsTouched(String options, String message) {
        CliRun r = CliRun.of(root, ("backfill " + options).split(" "));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill backfill: " + message);
        assertThat(r.err()).containsIgnoringCase("usage: ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownCommandIsAUsageError() {
        CliRun r = CliRun.of(root, "frobnicate");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill: ").contains("'frobnicate'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"normalize", "stack", "incidents", "kpis", "publish", "replay", "replay-dlq", "backfill",
            "simulate",
            "demo",
            "bench", "devices", "token"})
    void everyCommandHasHelp(String command) {
        CliRun r = CliRun.of(root, command, "--help");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsIgnoringCase("usage: ");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void commandsThatNeedTheStackSayNoneRunsInOneLine() {
        for (String command : new String[] {"publish", "kpis", "incidents", "replay", "replay-dlq"}) {
            CliRun r = CliRun.of(root, command);
            assertThat(r.exit()).as(command).isEqualTo(1);
            assertThat(r.errLines()).as(command).containsExactly(
                    "waybill " + command + ": no local stack is running (start one with ./waybill stack)");
        }
    }

    @Test
    void tokenLifetimeOutOfRangeIsOneLineAndExitTwo() {
        CliRun r = CliRun.of(root, "token", "--ttl-minutes", "0");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).isEqualTo("waybill token: --ttl-minutes must be 1 to 1440, was 0");
        assertThat(r.err()).contains("Usage: waybill token");
        assertThat(r.out()).isEmpty();
        assertThat(root.resolve(".waybill/api")).as("no key made for a refused command").doesNotExist();
    }

    @Test
    void nonNumericTokenLifetimeIsOneLineNamingOptionAndValue() {
        CliRun r = CliRun.of(root, "token", "--ttl-minutes", "soon");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).startsWith("waybill token: ").contains("--ttl-minutes", "'soon'");
        assertThat(r.hasNoStackTrace()).as(r.err()).isTrue();
    }

    @Test
    void tokenPrintsOneJwtNamingTheSubjectWithTheWriteScope() throws Exception {
        CliRun r = CliRun.of(root, "token", "--write", "--subject", "qa-lead");

        assertThat(r.exit()).as(r.err()).isZero();
        String[] parts = r.out().strip().split("\\.");
        assertThat(parts).hasSize(3);
        com.fasterxml.jackson.databind.JsonNode claims = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("sub").asText()).isEqualTo("qa-lead");
        assertThat(claims.path("scope").asText()).isEqualTo("ops.read ops.write");
        // default lifetime 60 minutes = 3600 s
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(3600);
        assertThat(root.resolve(".waybill/api/signing-key.jwk.json")).isRegularFile();
    }
}
