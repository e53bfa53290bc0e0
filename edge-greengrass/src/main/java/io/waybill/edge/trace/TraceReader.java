package io.waybill.edge.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads CSV traces ({@code sensorId,epochMillis,value} per line, see {@link TraceWriter}). Blank lines, lines
 * starting with {@code #} (comments, e.g. ground truth notes) and the header line {@value TraceWriter#HEADER} are
 * skipped; anything else that does not parse is a {@link TraceFormatException} naming the line. Samples are
 * returned in file order (no sorting: a replay must see reordered samples as the device sent them).
 */
public final class TraceReader {
    private TraceReader() {
    }

    public static List<TraceSample> read(Reader in) throws IOException {
        List<TraceSample> out = new ArrayList<>();
        forEach(in, out::add);
        return out;
    }

    public static List<TraceSample> read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r);
        }
    }

    public static List<TraceSample> read(InputStream in) throws IOException {
        return read(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** A trace on the class path (e.g. {@code /traces/door-opening.csv}). */
    public static List<TraceSample> readResource(String name) {
        try (InputStream in = TraceReader.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no trace resource " + name);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<TraceSample> parse(String csv) {
        try {
            return read(new java.io.StringReader(csv));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not throw
        }
    }

    /** Streams the samples to {@code sink} without holding the trace in memory. */
    public static void forEach(Reader in, Consumer<TraceSample> sink) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.equals(TraceWriter.HEADER)) {
                continue;
            }
            sink.accept(parseLine(n, t));
        }
    }

    private static TraceSample parseLine(int n, String line) {
        String[] f = line.split(",", -1);
        if (f.length != 3) {
            throw new TraceFormatException(n, "expected sensorId,epochMillis,value, got '" + line + "'", null);
        }
        long millis;
        try {
            millis = Long.parseLong(f[1].strip());
        } catch (NumberFormatException e) {
            throw new TraceFormatException(n, "epochMillis '" + f[1] + "' is not an integer", e);
        }
        double value;
        try {
            value = Double.parseDouble(f[2].strip());
        } catch (NumberFormatException e) {
            throw new TraceFormatException(n, "value '" + f[2] + "' is not a number", e);
        }
        try {
            return new TraceSample(f[0].strip(), millis, value);
        } catch (IllegalArgumentException e) {
            throw new TraceFormatException(n, e.getMessage(), e);
        }
    }
}
