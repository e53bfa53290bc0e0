package io.waybill.partneregress;

import io.waybill.aws.partner.DynamoDbPartnerDirectory;
import io.waybill.aws.partner.DynamoDbShipmentParties;
import io.waybill.aws.partner.EventBridgePartnerPublisher;
import io.waybill.aws.partner.PartnerEgressEnvironment;
import io.waybill.aws.partner.SqsPartnerDeadLetters;
import io.waybill.domain.partner.PartnerDelivery;
import io.waybill.domain.partner.PartnerEgress;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.security.SecureRandom;
import java.util.Map;

/** The partner egress composed once per execution environment from {@link PartnerEgressEnvironment}. */
public final class PartnerEgressFunction {
    private PartnerEgressFunction() {
    }

    /**
     * DynamoDB, EventBridge and SQS clients on the URLConnection HTTP client (small cold start). The SDK's own retries
     * stay on for whole-call failures; per-entry failures are retried by {@link PartnerDelivery}.
     */
    public static PartnerEgress fromEnvironment(Map<String, String> env) {
        PartnerEgressEnvironment settings = PartnerEgressEnvironment.fromEnvironment(env);
        Region region = Region.of(io.waybill.aws.FunctionEnvironment.required(env, "AWS_REGION"));
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region).build();
        EventBridgeClient events = EventBridgeClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region).build();
        SqsClient sqs = SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(region)
                .build();
        PartnerDelivery delivery = new PartnerDelivery(new EventBridgePartnerPublisher(events, settings.eventBus()),
                new SqsPartnerDeadLetters(sqs, settings.deadLetterQueue()), settings.delivery(), Thread::sleep,
                new SecureRandom());
        return new PartnerEgress(new DynamoDbPartnerDirectory(dynamo, settings.table()),
                new DynamoDbShipmentParties(dynamo, settings.table(), java.time.Clock.systemUTC(),
                settings.retention()), delivery, settings.source());
    }
}
