package io.waybill.local.testreport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class SkippedTestsTest {

    /** A real Surefire 3.5.4 report of the LocalStack scenarios without Docker, cut down, plus a {@code @Disabled}. */
    private static final Path SAMPLE = Path.of("src/test/resources/skipped-tests/TEST-skipped-sample.xml");

    @Test
    void reasonComesFromTheAssumptionInTheTraceOrFromTheMessageAttribute() throws Exception {
        assertThat(SkippedTests.parse(SAMPLE)).containsExactly(
                new SkippedTests.Skip("io.waybill.it.OnLocalStackTest."
                        + "reorderedAndDuplicatedDeliveryEndsInTheSameProjectionsAsInOrderDelivery",
                        "Docker is not available: LocalStack back end skipped"),
                new SkippedTests.Skip("io.waybill.it.OnLocalStackTest."
                        + "exhaustedRetriesLeaveTheBatchOnTheOnFailureDestinationAndLoseNothingStored",
                        "Docker is not available: LocalStack back end skipped"),
                new SkippedTests.Skip("io.waybill.it.OnLocalEmulatorsTest.disabledForAReason",
                        "flaky on 2 cores, see issue 42"));
    }

    /** A fixture copied to target/test-classes/skipped-tests or any other folder is not a report of the run. */
    @Test
    void onlyReportsInAModulesTargetFolderCount(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        Path report = root.resolve("ingest/target/surefire-reports/TEST-a.xml");
        Path fixture = root.resolve("ingest/target/test-classes/surefire-reports/TEST-b.xml");
        for (Path p : List.of(report, fixture)) {
            java.nio.file.Files.createDirectories(p.getParent());
            java.nio.file.Files.copy(SAMPLE, p);
        }
        assertThat(SkippedTests.find(root, java.nio.file.attribute.FileTime.fromMillis(0))).hasSize(3);
    }

    @Test
    void nothingIsPrintedWhenNothingWasSkipped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SkippedTests.print(List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
