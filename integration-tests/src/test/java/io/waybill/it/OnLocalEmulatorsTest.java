package io.waybill.it;

/** The scenarios on the local emulators (kinesis-mock, dynalite, ElasticMQ): always run. */
class OnLocalEmulatorsTest extends IngestPipelineScenarios {

    @Override
    protected AwsBackEnd startBackEnd() {
        return LocalEmulatorsBackEnd.start();
    }
}
