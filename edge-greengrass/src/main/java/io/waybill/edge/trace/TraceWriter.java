package io.waybill.edge.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes traces as CSV, one sample a line: {@code sensorId,epochMillis,value}, '\n' line ends, UTF-8, values in
 * their shortest exact decimal form ({@code 5}, {@code 5.02}, {@code -18.5}; never an exponent), so a trace
 * written and read back is the same list of samples. An optional header line {@value #HEADER} comes first.
 */
public final class TraceWriter {
    /** The header line {@link TraceReader} recognises. */
    public static final String HEADER = "sensorId,epochMillis,value";

    private TraceWriter() {
    }

    /** The CSV line of a sample, without line end. */
    public static String line(TraceSample s) {
        return s.sensorId() + ',' + s.epochMillis() + ',' + format(s.value());
    }

    /** The shortest decimal that reads back as exactly {@code value}. */
    public static String format(double value) {
        if (value == 0) {
            return "0";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    public static void write(Appendable out, Iterable<TraceSample> samples, boolean header) throws IOException {
        if (header) {
            out.append(HEADER).append('\n');
        }
        for (TraceSample s : samples) {
            out.append(line(s)).append('\n');
        }
    }

    public static String toCsv(Iterable<TraceSample> samples, boolean header) {
        StringBuilder sb = new StringBuilder();
        try {
            write(sb, samples, header);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return sb.toString();
    }

    /** Writes (creating or replacing) a trace file with a header line. */
    public static void write(Path file, Iterable<TraceSample> samples) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(w, samples, true);
        }
    }
}
