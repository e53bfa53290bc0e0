package io.waybill.modelserver.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One real series of the accuracy benchmark, as {@code model-server/data/convert.R} wrote it to {@code series.csv}:
 * its name (dataset, or dataset.column), the R package it came from, its frequency (12 monthly, 4 quarterly), its
 * first period ({@code 1960-5} = May 1960, {@code 1962-2} = second quarter 1962) and its values, oldest first, missing
 * values as NaN.
 */
public record BenchmarkSeries(String name, String source, int frequency, String start, double[] values) {

    /** The forecast horizon held out: 18 months or 8 quarters, as in the M3 and M4 competitions. */
    public int horizon() {
        return frequency == 12 ? 18 : frequency == 4 ? 8 : 2 * frequency;
    }

    /** Everything before the held-out horizon. */
    public double[] fittingPart() {
        return Arrays.copyOfRange(values, 0, values.length - horizon());
    }

    /** The last {@link #horizon()} values. */
    public double[] heldOut() {
        return Arrays.copyOfRange(values, values.length - horizon(), values.length);
    }

    /** Reads {@code series.csv} (header {@code name,source,frequency,start,length,values}; values space-separated). */
    public static List<BenchmarkSeries> read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        if (lines.isEmpty() || !unquote(lines.get(0)).equals("name,source,frequency,start,length,values")) {
            throw new IllegalArgumentException(csv + ": not a series file (header name,source,frequency,start,length,values)");
        }
        List<BenchmarkSeries> series = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = unquote(lines.get(i)).split(",", -1);
            if (f.length != 6) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": expected 6 fields, found " + f.length);
            }
            double[] values = Arrays.stream(f[5].trim().split(" +")).mapToDouble(BenchmarkSeries::parse).toArray();
            int length = Integer.parseInt(f[4]);
            if (values.length != length) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": " + f[0] + " states " + length
                        + " values, has " + values.length);
            }
            series.add(new BenchmarkSeries(f[0], f[1], Integer.parseInt(f[2]), f[3], values));
        }
        return series;
    }

    private static double parse(String v) {
        return v.equals("NaN") || v.equals("NA") ? Double.NaN : Double.parseDouble(v);
    }

    /** The file quotes every text field and no field holds a comma or a quote, so dropping quotes is enough. */
    private static String unquote(String line) {
        return line.replace("\"", "");
    }
}
