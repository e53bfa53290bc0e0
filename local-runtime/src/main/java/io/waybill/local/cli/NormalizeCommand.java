package io.waybill.local.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * {@code ./waybill normalize}: raw records as JSON lines on stdin, exactly one JSON line per input line on stdout,
 * in order — the canonical event, or {@code {"rejected":true,"reason":...,"detail":...,"adapter":...,"line":N}}.
 * It runs {@link RecordNormalizer#standard()}, the code the ingest Lambda runs, on each line's exact bytes (split on
 * {@code '\n'}, never decoded: invalid UTF-8 is {@code MALFORMED_JSON} here as in ingest). Exit 0 when the input
 * was processed, whatever was rejected.
 */
public final class NormalizeCommand {
    private final RecordNormalizer normalizer;

    public NormalizeCommand(RecordNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    /**
     * Reads {@code in} as raw bytes split on {@code '\n'} ({@link JsonLines}: no decoding, a {@code '\r'} kept), so
     * each line gets the verdict the ingest Lambda gives the same bytes on the stream.
     *
     * @return the number of lines processed
     */
    public long run(InputStream in, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try {
            return JsonLines.forEach(in, l -> {
                try {
                    write(normalizer.normalize(RawRecord.of(l.bytes(), "stdin line " + l.number())), l.number(),
                            writer);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, () -> {
                try {
                    writer.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            writer.flush();
        }
    }

    private static void write(NormalizationResult r, long line, Writer writer) throws IOException {
        if (r instanceof NormalizationResult.Normalized n) {
            writer.write(n.json());
        } else {
            NormalizationResult.Rejected rejected = (NormalizationResult.Rejected) r;
            ObjectNode o = CanonicalEventJson.MAPPER.createObjectNode();
            o.put("rejected", true);
            o.put("reason", rejected.reason().name());
            o.put("detail", rejected.detail());
            if (rejected.adapter() != null) {
                o.put("adapter", rejected.adapter());
            }
            o.put("line", line);
            writer.write(o.toString());
        }
        writer.write('\n');
    }
}
