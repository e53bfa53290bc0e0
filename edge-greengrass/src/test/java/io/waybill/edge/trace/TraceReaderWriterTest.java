package io.waybill.edge.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceReaderWriterTest {

    @Test
    void aWrittenTraceReadsBackIdentical() {
        List<TraceSample> reefer = GoldenTraces.reeferTrip().samples();
        List<TraceSample> conveyor = GoldenTraces.conveyorShift().samples();

        assertThat(TraceReader.parse(TraceWriter.toCsv(reefer, true))).isEqualTo(reefer);
        assertThat(TraceReader.parse(TraceWriter.toCsv(conveyor, false))).isEqualTo(conveyor);
    }

    @Test
    void aTraceFileRoundTrips(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("door.csv");
        List<TraceSample> door = TraceReader.readResource("/traces/door-opening.csv");

        TraceWriter.write(file, door);

        assertThat(TraceReader.read(file)).isEqualTo(door);
        assertThat(java.nio.file.Files.readAllLines(file).get(0)).isEqualTo(TraceWriter.HEADER);
    }

    @Test
    void headerCommentsAndBlankLinesAreSkipped() {
        String csv = """
                # a reefer at a cross-dock
                sensorId,epochMillis,value

                reefer-07-ra,1772445600000,12.02
                  # indented comment
                reefer-07-ra,1772445630000, 12.17
                """;

        assertThat(TraceReader.parse(csv)).containsExactly(
                new TraceSample("reefer-07-ra", 1772445600000L, 12.02),
                new TraceSample("reefer-07-ra", 1772445630000L, 12.17));
    }

    @Test
    void valuesAreWrittenInTheirShortestPlainForm() {
        assertThat(TraceWriter.format(5.0)).isEqualTo("5");
        assertThat(TraceWriter.format(5.02)).isEqualTo("5.02");
        assertThat(TraceWriter.format(-18.5)).isEqualTo("-18.5");
        assertThat(TraceWriter.format(60)).isEqualTo("60");
        assertThat(TraceWriter.format(1e-7)).isEqualTo("0.0000001");
        assertThat(TraceWriter.format(-0.0)).isEqualTo("0");
        assertThat(TraceWriter.line(new TraceSample("s", 1, 0.1 + 0.2))).isEqualTo("s,1,0.30000000000000004");
    }

    @Test
    void aBadLineNamesItsLineNumber() {
        assertThatThrownBy(() -> TraceReader.parse("s,1,5\ns,two,5\n"))
                .isInstanceOf(TraceFormatException.class).hasMessageStartingWith("line 2: ")
                .hasMessageContaining("epochMillis");
        assertThatThrownBy(() -> TraceReader.parse("s,1,5,extra"))
                .isInstanceOf(TraceFormatException.class).hasMessageStartingWith("line 1: ");
        assertThatThrownBy(() -> TraceReader.parse("# c\ns,1,NaN"))
                .isInstanceOf(TraceFormatException.class).hasMessageStartingWith("line 2: ")
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> TraceReader.parse(",1,5"))
                .isInstanceOf(TraceFormatException.class).satisfies(e ->
                        assertThat(((TraceFormatException) e).lineNumber()).isEqualTo(1));
    }

    @Test
    void aSensorIdThatWouldBreakTheFormatIsRejected() {
        assertThatThrownBy(() -> new TraceSample("a,b", 1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TraceSample("#a", 1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TraceSample("a\nb", 1, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void samplesConvertToReadings() {
        TraceSample s = new TraceSample("reefer-07-ra", 1772445600000L, 12.02);

        assertThat(s.toTemperatureReading().at()).isEqualTo(java.time.Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(TraceSample.of(s.toTemperatureReading())).isEqualTo(s);
        assertThat(TraceSample.of(s.toConveyorReading())).isEqualTo(s);
    }
}
