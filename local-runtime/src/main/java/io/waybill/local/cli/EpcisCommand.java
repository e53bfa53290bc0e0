package io.waybill.local.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.waybill.domain.epcis.EpcisExport;
import io.waybill.domain.event.CanonicalEventJson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./waybill epcis}: canonical events as JSON lines on stdin (what {@code ./waybill normalize} writes;
 * rejection lines are skipped) -> one GS1 EPCIS 2.0 {@code EPCISDocument} (JSON-LD) on stdout, the mapping of
 * {@link EpcisExport}. A summary goes to stderr: events exported, canonical events read, rejection lines skipped,
 * canonical types without an EPCIS mapping, events equal to an earlier one (same event hash) left out.
 * Exit 0; exit 2 with a message when a line is neither a canonical event nor a rejection.
 */
public final class EpcisCommand {
    private final Clock clock;

    public EpcisCommand(Clock clock) {
        this.clock = clock;
    }

    public int run(InputStream in, PrintStream out, PrintStream err) throws IOException {
        EpcisExport.LineExport export;
        try {
            export = EpcisExport.fromJsonLines(
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), clock.instant());
        } catch (IllegalArgumentException e) {
            err.println("epcis: " + e.getMessage());
            return 2;
        }
        out.println(CanonicalEventJson.MAPPER.writer(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(export.document()));
        out.flush();
        StringBuilder summary = new StringBuilder("epcis: ").append(export.events()).append(" EPCIS events from ")
                .append(export.canonical()).append(" canonical events; ").append(export.rejected())
                .append(" rejection lines skipped");
        if (export.duplicates() > 0) {
            summary.append("; ").append(export.duplicates()).append(" equal to an earlier event (same event hash)")
                    .append(" left out");
        }
        if (!export.unmapped().isEmpty()) {
            summary.append("; no EPCIS mapping (skipped):");
            for (Map.Entry<String, Integer> e : new TreeMap<>(export.unmapped()).entrySet()) {
                summary.append(' ').append(e.getKey()).append('=').append(e.getValue());
            }
        }
        err.println(summary);
        return 0;
    }
}
