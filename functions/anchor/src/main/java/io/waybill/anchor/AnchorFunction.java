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

import java.time.Clock;
import java.util.Objects;

/**
 * The anchoring function composed: the DynamoDB ledger and proofs, the chain port, the signer. Built once per
 * execution environment. The Lambda entry points need a real {@link AnchorChain}: the lead's wiring builds it with
 * {@code io.waybill.chain.Web3jAnchorChain.connect(settings.rpcUrl(), settings.registry(), settings.chainId(), auth)}
 * and the signer with {@code new KmsDigestSigner(KmsClient, settings.kmsKeyId())}, then calls {@link #create}.
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
}
