package io.waybill.infra;

import java.nio.file.Path;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** Assertions every {@link JavaFunction} shares, on a synthesised {@code AWS::Lambda::Function}'s Properties. */
final class FunctionAssertions {
    private FunctionAssertions() {
    }

    /** The function logs to its own log group, {@code logGroupName}, kept thirty days. */
    static void assertLogsKeptThirtyDaysIn(SynthesizedStacks.Synthesized synthesized, Map<String, Object> function,
                                           String logGroupName) {
        String logGroupId = asMap(function.get("LoggingConfig")).get("LogGroup").toString()
                .replace("{Ref=", "").replace("}", "");
        assertThat(asMap(synthesized.resources("AWS::Logs::LogGroup").get(logGroupId).get("Properties")))
                .containsEntry("RetentionInDays", 30)
                .containsEntry("LogGroupName", logGroupName);
    }

    /**
     * The function's code is the shaded jar {@code real} (named {@code <jarPrefix>...-lambda.jar}) byte for byte, as
     * staged for upload.
     */
    static void assertCodeIsShadedJar(SynthesizedStacks.Synthesized synthesized, Map<String, Object> function,
                                      Path real, String jarPrefix) throws Exception {
        String key = asMap(function.get("Code")).get("S3Key").toString();
        assertThat(real.getFileName().toString()).startsWith(jarPrefix).endsWith("-lambda.jar");
        assertThat(IngestServiceTest.sha256(synthesized.stagedAsset(key))).isEqualTo(IngestServiceTest.sha256(real));
    }
}
