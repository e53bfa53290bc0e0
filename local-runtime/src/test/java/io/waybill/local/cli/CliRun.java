package io.waybill.local.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** One run of {@link WaybillCli#run} with captured stdin, stdout, stderr and exit code (no System.exit). */
record CliRun(int exit, String out, String err) {

    static CliRun of(Path root, byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WaybillCli.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), root);
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static CliRun of(Path root, String... args) {
        return of(root, new byte[0], args);
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /** No Java stack trace anywhere in what the user sees. */
    boolean hasNoStackTrace() {
        String all = out + err;
        return !all.contains("\tat ") && !all.contains("Exception in thread") && !all.matches("(?s).*\\b\\w+(\\.\\w+)+Exception\\b.*");
    }
}
