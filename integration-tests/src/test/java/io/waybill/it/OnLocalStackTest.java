package io.waybill.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same scenarios on LocalStack through Testcontainers. Without a Docker engine the class' {@code @BeforeAll}
 * fails an assumption, so every scenario is reported as skipped with {@link LocalStackBackEnd#NO_DOCKER} (never as
 * passed).
 */
class OnLocalStackTest extends IngestPipelineScenarios {

    @Override
    protected AwsBackEnd startBackEnd() {
        assumeTrue(LocalStackBackEnd.dockerAvailable(), LocalStackBackEnd.NO_DOCKER);
        return LocalStackBackEnd.start();
    }
}
