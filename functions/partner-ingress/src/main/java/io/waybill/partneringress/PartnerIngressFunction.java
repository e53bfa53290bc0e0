package io.waybill.partneringress;

import io.waybill.aws.partner.DynamoDbSenderDirectory;
import io.waybill.aws.partner.KinesisPartnerRecords;
import io.waybill.aws.partner.PartnerIngressEnvironment;
import io.waybill.aws.partner.SqsRefusedEventQueue;
import io.waybill.aws.stream.RecordRedrive;
import io.waybill.domain.partner.ingress.PartnerIngress;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.Map;

/** The partner ingress composed once per execution environment from {@link PartnerIngressEnvironment}. */
public final class PartnerIngressFunction {
    private PartnerIngressFunction() {
    }

    /** DynamoDB, Kinesis and SQS clients on the URLConnection HTTP client (small cold start). */
    public static PartnerIngress fromEnvironment(Map<String, String> env) {
        PartnerIngressEnvironment settings = PartnerIngressEnvironment.fromEnvironment(env);
        Region region = Region.of(io.waybill.aws.FunctionEnvironment.required(env, "AWS_REGION"));
        return compose(settings,
                DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(region).build(),
                KinesisClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(region).build(),
                SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(region).build(),
                Clock.systemUTC());
    }

    /** The ingress on given clients (the local runtime passes its emulators' clients). */
    public static PartnerIngress compose(PartnerIngressEnvironment settings, DynamoDbClient dynamo,
                                         KinesisClient kinesis, SqsClient sqs, Clock clock) {
        return new PartnerIngress(new DynamoDbSenderDirectory(dynamo, settings.table(), settings.senderCacheTtl(), clock),
                PartnerIngress.standardPartnerAdapters(),
                new KinesisPartnerRecords(new RecordRedrive(kinesis), settings.stream()),
                new SqsRefusedEventQueue(sqs, settings.deadLetterQueue()), clock, settings.bus());
    }
}
