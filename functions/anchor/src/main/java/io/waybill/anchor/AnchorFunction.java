package io.waybill.anchor;

import io.waybill.aws.provenance.DynamoDbAnchorLedger;
import io.waybill.aws.provenance.DynamoDbEventProofs;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorIntake;
import io.waybill.domain.provenance.AnchorLedger;
import io.waybill.domain.provenance.AnchorRun;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EventProofs;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import io.waybill.chain.RpcAuth;
import io.waybill.chain.Web3jAnchorChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The anchoring function composed: the DynamoDB ledger and proofs, the chain port, the signer. Built once per
 * execution environment: in Lambda by {@link #fromEnvironment} (the Web3j node adapter, the KMS key), locally and in
 * tests by {@link #create} with the dev node's key.
 */
public record AnchorFunction(AnchorSettings settings, AnchorIntake intake, AnchorRun run, AnchorTelemetry telemetry,
                             AnchorLedger ledger, EventProofs proofs, Clock clock) {
    public AnchorFunction {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(intake, "intake");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(clock, "clock");
    }

    public static AnchorFunction create(AnchorSettings settings, DynamoDbClient dynamo, AnchorChain chain,
                                        DigestSigner signer, Clock clock) {
        return create(settings, dynamo, chain, signer, clock, new AnchorTelemetry(null));
    }

    public static AnchorFunction create(AnchorSettings settings, DynamoDbClient dynamo, AnchorChain chain,
                                        DigestSigner signer, Clock clock, AnchorTelemetry telemetry) {
        if (chain.chainId() != settings.chainId()) {
            throw new IllegalArgumentException("the node's chain id " + chain.chainId() + " is not "
                    + AnchorSettings.CHAIN_ID + "=" + settings.chainId());
        }
        AnchorLedger ledger = new DynamoDbAnchorLedger(dynamo, settings.ledgerTable());
        EventProofs proofs = new DynamoDbEventProofs(dynamo, settings.proofsTable());
        AnchorIntake intake = new AnchorIntake(settings.selection(), ledger, clock, telemetry);
        AnchorRun run = new AnchorRun(ledger, chain, signer, proofs, settings.batchPolicy(), settings.run(), clock,
                telemetry);
        return new AnchorFunction(settings, intake, run, telemetry, ledger, proofs, clock);
    }

    /**
     * The scheduled run as Lambda builds it: {@link AnchorSettings#fromEnvironment}, DynamoDB and KMS clients on the
     * URLConnection HTTP client (small cold start), the node through {@link Web3jAnchorChain} (SigV4, service
     * {@code managedblockchain}, when {@value AnchorSettings#RPC_AUTH} is {@code sigv4}), the KMS key as signer.
     */
    public static AnchorFunction fromEnvironment(Map<String, String> env) {
        AnchorSettings settings = AnchorSettings.fromEnvironment(env);
        Region region = region(env);
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region).build();
        KmsClient kms = KmsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(region).build();
        RpcAuth auth = settings.rpcAuth() == AnchorSettings.RpcAuth.SIGV4
                ? RpcAuth.sigV4(DefaultCredentialsProvider.builder().build(), region) : RpcAuth.none();
        AnchorChain chain = Web3jAnchorChain.connect(settings.rpcUrl(), settings.registry(), settings.chainId(), auth);
        return create(settings, dynamo, chain, new KmsDigestSigner(kms, settings.kmsKeyId()), Clock.systemUTC(),
                new AnchorTelemetry(MetricsFactory.getMetricsInstance()));
    }

    /**
     * The intake as Lambda builds it: only the ledger table and the selection rule are read (the intake never talks
     * to the node or the key).
     */
    public static AnchorIntake intakeFromEnvironment(Map<String, String> env, AnchorTelemetry telemetry) {
        String table = env.get(AnchorSettings.LEDGER_TABLE);
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException(AnchorSettings.LEDGER_TABLE + " is required");
        }
        io.waybill.domain.provenance.ProvenanceSelection selection;
        try {
            selection = io.waybill.domain.provenance.ProvenanceSelection.parse(env.get(AnchorSettings.SELECT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(AnchorSettings.SELECT + ": " + e.getMessage(), e);
        }
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(region(env)).build();
        return new AnchorIntake(selection, new DynamoDbAnchorLedger(dynamo, table.trim()), Clock.systemUTC(), telemetry);
    }

    private static Region region(Map<String, String> env) {
        String r = env.get("AWS_REGION");
        if (r == null || r.isBlank()) {
            throw new IllegalArgumentException("AWS_REGION is required (Lambda sets it)");
        }
        return Region.of(r);
    }
}
