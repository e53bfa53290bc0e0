package io.waybill.local.stack;

/**
 * The emulators {@link LocalAwsStack} starts, with the service each one stands in for: AWS wire protocols, and an
 * Ethereum JSON-RPC node.
 */
public enum Emulator {
    /** Kinesis Data Streams: kinesis-mock, from npm package {@code kinesis-local}, run with Node.js. */
    KINESIS("kinesis-mock", "Kinesis"),
    /** DynamoDB: {@code dynalite} (npm), run with Node.js, LevelDB in memory or on disk. */
    DYNAMODB("dynalite", "DynamoDB"),
    /** SQS: ElasticMQ, embedded in this JVM. */
    SQS("elasticmq", "SQS"),
    /** S3: {@code s3rver} (npm), run with Node.js, objects in a directory under {@code target/local-stack}. */
    S3("s3rver", "S3"),
    /**
     * Ethereum: anvil (npm {@code @foundry-rs/anvil}, a native binary), chain id 31337, with the AnchorRegistry
     * deployed at start. Not an AWS service: it stands in for Amazon Managed Blockchain Access Ethereum.
     */
    ETHEREUM("anvil", "Ethereum");

    private final String emulatorName;
    private final String serviceName;

    Emulator(String emulatorName, String serviceName) {
        this.emulatorName = emulatorName;
        this.serviceName = serviceName;
    }

    /** @return the emulator's name, used in log file names and messages (e.g. {@code dynalite}) */
    public String emulatorName() {
        return emulatorName;
    }

    /** @return the AWS service it emulates (e.g. {@code DynamoDB}) */
    public String serviceName() {
        return serviceName;
    }
}
