package io.waybill.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import io.waybill.local.AwsClients;
import io.waybill.local.testing.LoopbackProbe;

/**
 * The local stack against its real emulators: one stack for the class, stopped by the last test.
 */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalAwsStackTest {

    private static LocalAwsStack stack;

    @BeforeAll
    static void startStack() {
        // kinesis-mock at DEBUG logs every request with its content type (checked by the CBOR/JSON test).
        stack = LocalAwsStack.start(LocalStackConfig.builder().kinesisLogLevel("DEBUG").build());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyEmulatorAnswersItsApiAndReportsItsStartTime() {
        var clients = stack.clients();
        assertThat(clients.kinesis().listStreams().streamNames()).isNotNull();
        assertThat(clients.dynamoDb().listTables().tableNames()).isNotNull();
        assertThat(clients.sqs().listQueues().queueUrls()).isNotNull();
        assertThat(clients.s3().listBuckets().buckets()).isNotNull();

        assertThat(stack.startTimesMillis()).containsOnlyKeys(Emulator.values())
                .allSatisfy((emulator, millis) -> assertThat(millis).as(emulator.name()).isBetween(1L, 60_000L));
        assertThat(stack.totalStartTimeMillis()).isGreaterThanOrEqualTo(stack.startTimeMillis(Emulator.SQS));
        assertThat(stack.endpoints().kinesis().getPort()).isEqualTo(stack.port(Emulator.KINESIS));
        assertThat(stack.logFile(Emulator.DYNAMODB)).get().satisfies(log -> {
            assertThat(log).exists();
            assertThat(log.getFileName().toString()).isEqualTo("dynalite-" + stack.port(Emulator.DYNAMODB) + ".log");
        });
        assertThat(stack.logFile(Emulator.KINESIS)).get().satisfies(log -> assertThat(log).exists());
        assertThat(stack.logFile(Emulator.SQS)).isEmpty();
        assertThat(stack.logFile(Emulator.S3)).get().satisfies(log -> {
            assertThat(log).exists();
            assertThat(log.getFileName().toString()).isEqualTo("s3rver-" + stack.port(Emulator.S3) + ".log");
        });
        assertThat(stack.endpoints().s3().getPort()).isEqualTo(stack.port(Emulator.S3));
    }

    /**
     * An object written through the SDK's S3 client (path-style, the stack's dummy credentials) reads back
     * byte-identical, with the length and the SHA-256 S3 was given; a missing bucket is S3's own error code.
     */
    @Test
    @Order(2)
    void s3ObjectsRoundTripByteForByteThroughPathStyleRequests() {
        S3Client s3 = stack.clients().s3();
        String bucket = "stack-test-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        // Bytes that a text round trip would alter: a NUL, a lone 0xFF, a CR LF and a multi-byte UTF-8 character.
        byte[] body = {0x00, (byte) 0xFF, 0x0D, 0x0A, (byte) 0xC3, (byte) 0xA9, 0x7B, 0x7D};
        s3.putObject(b -> b.bucket(bucket).key("dead-letters/2025/01/02/a b+c.json").contentType("application/json"),
                RequestBody.fromBytes(body));

        ResponseBytes<GetObjectResponse> read = s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("dead-letters/2025/01/02/a b+c.json"));
        assertThat(read.asByteArray()).containsExactly(body);
        assertThat(read.response().contentLength()).isEqualTo(8L);
        assertThat(read.response().contentType()).isEqualTo("application/json");
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).extracting(S3Object::key)
                .containsExactly("dead-letters/2025/01/02/a b+c.json");
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(bucket + "-missing").key("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket");
                    assertThat(e.statusCode()).isEqualTo(404);
                });
    }

    @Test
    @Order(3)
    void resourcesAreCreatedIdempotentlyAndActiveAtOnce() {
        StackResources resources = StackResources.using(stack.clients());
        String suffix = UUID.randomUUID().toString().substring(0, 8);

        String streamArn = resources.createStream("stack-test-" + suffix, 2);
        assertThat(streamArn).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/stack-test-" + suffix);
        assertThat(resources.createStream("stack-test-" + suffix, 2)).isEqualTo(streamArn);
        assertThat(stack.clients().kinesis().listShards(b -> b.streamName("stack-test-" + suffix)).shards())
                .hasSize(2);

        StackResources.Queue queue = resources.createQueue("stack-test-" + suffix);
        assertThat(queue.arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:stack-test-" + suffix);
        assertThat(queue.url()).endsWith("/000000000000/stack-test-" + suffix);
        assertThat(resources.createQueue("stack-test-" + suffix)).isEqualTo(queue);

        CreateTableRequest table = CreateTableRequest.builder().tableName("stack-test-" + suffix)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST).build();
        String tableArn = resources.createTable(table);
        assertThat(tableArn).endsWith(":table/stack-test-" + suffix);
        assertThat(resources.createTable(table)).isEqualTo(tableArn);
        assertThat(stack.clients().dynamoDb().describeTable(b -> b.tableName("stack-test-" + suffix)).table()
                .tableStatus()).isEqualTo(TableStatus.ACTIVE);
    }

    @Test
    @Order(4)
    void kinesisClientsSpeakCborByDefaultAndJsonOnRequest() throws IOException {
        Path log = stack.logFile(Emulator.KINESIS).orElseThrow();
        try (SdkHttpClient http = AwsClients.newHttpClient();
             KinesisClient cbor = AwsClients.kinesisClient(stack.endpoints(), http, true);
             KinesisClient json = AwsClients.kinesisClient(stack.endpoints(), http, false)) {
            assertThat(System.getProperty("aws.cborEnabled")).isNull(); // restored after the JSON client's build
            assertThat(cbor.describeLimits().shardLimit()).isPositive();
            assertThat(json.describeLimits().shardLimit()).isPositive();
        }
        String requests = Files.readString(log);
        assertThat(requests).contains("contentType=application/x-amz-cbor-1.1, ")
                .contains("contentType=application/x-amz-json-1.1, ");
    }

    @Test
    @Order(5)
    void missingLocalRuntimeDirectoryFailsWithAClearMessage(@TempDir Path empty) throws IOException {
        Path fake = Files.createDirectories(empty.resolve("local-runtime"));
        Files.writeString(fake.resolve("package.json"), "{}");
        LocalStackConfig config = LocalStackConfig.builder().localRuntimeDir(fake).npmCommand("no-such-npm-binary")
                .build();
        assertThatThrownBy(() -> LocalAwsStack.start(config))
                .isInstanceOf(EmulatorStartException.class)
                .hasMessageContaining("npm not found")
                .hasMessageContaining("npm-ci.log");
    }

    /**
     * The emulators accept any credentials, so they must not be reachable from the network. A socket bound to the
     * loopback address 127.0.0.1 refuses a connection to 127.0.0.2 (another loopback address of this machine); one
     * bound to the wildcard address accepts it, as a wildcard-bound server accepts connections from the network.
     */
    @Test
    @Order(6)
    void everyEmulatorListensOnTheLoopbackAddressOnly() throws IOException {
        try (java.net.ServerSocket wildcard = new java.net.ServerSocket(0)) {
            assertThat(LoopbackProbe.acceptsOn("127.0.0.2", wildcard.getLocalPort()))
                    .as("control: a wildcard-bound socket is reachable on 127.0.0.2").isTrue();
        }
        assertThat(stack.ports()).hasSize(5)
                .allSatisfy(port -> assertThat(LoopbackProbe.acceptsOn("127.0.0.2", port)).as("port " + port).isFalse());
    }


    @Test
    @Order(Integer.MAX_VALUE)
    void stackStopsEveryProcessItStarted() {
        List<ProcessHandle> processes = stack.processes();
        List<ProcessHandle> tree = processes.stream()
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .toList();
        List<Integer> ports = stack.ports();
        assertThat(processes).hasSize(3).allMatch(ProcessHandle::isAlive);
        assertThat(ports).hasSize(5).doesNotHaveDuplicates();
        // Listening is shown by real API calls (a bare TCP probe here would hold kinesis-mock's graceful shutdown
        // until its header-read timeout, and the stop would wait for the forced kill).
        assertThat(stack.clients().kinesis().listStreams().sdkHttpResponse().isSuccessful()).isTrue();
        assertThat(stack.clients().dynamoDb().listTables().sdkHttpResponse().isSuccessful()).isTrue();
        assertThat(stack.clients().sqs().listQueues().sdkHttpResponse().isSuccessful()).isTrue();
        assertThat(stack.clients().s3().listBuckets().sdkHttpResponse().isSuccessful()).isTrue();
        Path s3Data = stack.logDir().resolve("s3rver-" + stack.port(Emulator.S3) + "-data");
        assertThat(s3Data).isDirectory();

        long t0 = System.nanoTime();
        stack.close();
        Duration stopTime = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(tree).noneMatch(ProcessHandle::isAlive);
        assertThat(ports).noneMatch(LocalAwsStackTest::listening);
        assertThat(s3Data).doesNotExist();
        // SIGTERM suffices: no emulator waits for the 5 s forced kill.
        assertThat(stopTime).isLessThan(Duration.ofSeconds(4));
        stack.close(); // idempotent
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
