package io.waybill.local.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Splits a byte stream into lines on {@code '\n'} as raw bytes, never decoding them: each line is handed over
 * exactly as it was read, so {@code normalize} judges and {@code publish} sends the bytes the ingest Lambda gets
 * (invalid UTF-8 stays invalid). A {@code '\r'} before the {@code '\n'} is kept: it is JSON whitespace, so it does
 * not change a verdict, and the record on the stream is byte for byte the input line. A last line without a
 * {@code '\n'} counts; nothing follows the final {@code '\n'}.
 */
final class JsonLines {
    private JsonLines() {
    }

    /** One input line. @param number 1-based @param bytes without the {@code '\n'} */
    record Line(long number, byte[] bytes) {
        /** Empty, or only spaces, tabs and {@code '\r'}. */
        boolean blank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Calls {@code each} per line, in order.
     *
     * @param idle called when no more input is available without blocking (a point to flush output)
     * @return the number of lines
     */
    static long forEach(InputStream in, Consumer<Line> each, Runnable idle) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long number = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    each.accept(new Line(++number, line.toByteArray()));
                    line.reset();
                    start = i + 1;
                }
            }
            line.write(buffer, start, n - start);
            if (idle != null && in.available() == 0) {
                idle.run();
            }
        }
        if (line.size() > 0) {
            each.accept(new Line(++number, line.toByteArray()));
        }
        return number;
    }
}
