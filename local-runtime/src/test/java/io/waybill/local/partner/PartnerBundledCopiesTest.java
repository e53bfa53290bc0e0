package io.waybill.local.partner;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime's bundled copies are the files they copy, byte for byte: the partner rules of
 * {@code infra-cdk/event-rules/} (every file there is bundled, none more).
 */
class PartnerBundledCopiesTest {
    private static final Path ROOT = Path.of("..");

    private static byte[] resource(String path) throws IOException {
        try (InputStream in = PartnerBundledCopiesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void theBundledRuleFilesAreTheDeployedOnes() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(LocalPartners.RULES_REPO_PATH))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList())
                    .isEqualTo(LocalPartners.RULE_FILES);
        }
        for (String file : LocalPartners.RULE_FILES) {
            assertThat(resource(LocalPartners.RULES_RESOURCE_FOLDER + file)).as(file)
                    .isEqualTo(Files.readAllBytes(ROOT.resolve(LocalPartners.RULES_REPO_PATH).resolve(file)));
        }
    }
}
