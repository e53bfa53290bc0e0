package io.waybill.local.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * {@code ./waybill normalize}: raw records as JSON lines on stdin, exactly one JSON line per input line on stdout,
 * in order — the canonical event, or {@code {"rejected":true,"reason":...,"detail":...,"adapter":...,"line":N}}.
 * It runs {@link RecordNormalizer#standard()}, the code the ingest Lambda runs. Exit 0 when the input was
 * processed, whatever was rejected.
 */
public final class NormalizeCommand {
    private final RecordNormalizer normalizer;

    public NormalizeCommand(RecordNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    /** @return the number of lines processed */
    public long run(InputStream in, OutputStream out) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        long line = 0;
        String text;
        while ((text = reader.readLine()) != null) {
            line++;
            NormalizationResult r = normalizer.normalize(RawRecord.of(text.getBytes(StandardCharsets.UTF_8), "stdin line " + line));
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
            if (!reader.ready()) {
                writer.flush();
            }
        }
        writer.flush();
        return line;
    }
}
