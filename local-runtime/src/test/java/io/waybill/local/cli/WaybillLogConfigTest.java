package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 13: a command's logging (the shipped {@code waybill-local-log4j2.xml}, as {@code WaybillCli.main}
 * configures it) appends to the log file, so a command never truncates the log a running stack is writing; the
 * stack has a log file of its own.
 */
class WaybillLogConfigTest {
    @TempDir
    Path logs;

    @AfterEach
    void clearProperties() {
        System.clearProperty("waybill.log.dir");
        System.clearProperty("waybill.log.file");
    }

    private void logOneLine(String file, String message) throws Exception {
        System.setProperty("waybill.log.dir", logs.toString());
        System.setProperty("waybill.log.file", file);
        URI config = getClass().getClassLoader().getResource("waybill-local-log4j2.xml").toURI();
        LoggerContext context = new LoggerContext("waybill-log-test-" + file, null, config);
        context.start();
        try {
            context.getLogger("io.waybill.test").info(message);
        } finally {
            context.stop();
        }
    }

    @Test
    void aCommandAppendsToTheLogInsteadOfTruncatingIt() throws Exception {
        Path log = logs.resolve(WaybillCli.COMMAND_LOG);
        String earlier = "{\"message\":\"written by the running stack\"}\n";
        Files.writeString(log, earlier);

        logOneLine(WaybillCli.COMMAND_LOG, "second command");

        byte[] bytes = Files.readAllBytes(log);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).startsWith(earlier).contains("second command");
        assertThat(bytes).doesNotContain((byte) 0);
    }

    @Test
    void theStackLogsToItsOwnFile() throws Exception {
        assertThat(WaybillCli.logFileName("stack")).isEqualTo("stack.log");
        assertThat(WaybillCli.logFileName("publish")).isEqualTo("waybill.log");

        logOneLine(WaybillCli.logFileName("stack"), "stack line");

        assertThat(Files.readString(logs.resolve("stack.log"))).contains("stack line");
        assertThat(logs.resolve("waybill.log")).doesNotExist();
    }
}
