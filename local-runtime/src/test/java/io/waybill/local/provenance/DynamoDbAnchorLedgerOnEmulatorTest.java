package io.waybill.local.provenance;

import io.waybill.aws.provenance.DynamoDbAnchorLedger;
import io.waybill.domain.provenance.AnchorAttempt;
import io.waybill.domain.provenance.AnchorBatch;
import io.waybill.domain.provenance.AnchorCandidate;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DynamoDbAnchorLedger} on the local DynamoDB emulator: the conditions the anchoring engine relies on (a
 * redelivered event is not queued again, a member is claimed only while queued, a batch is written only over the
 * version it was read at, an attempt and the next nonce are stored together or not at all, one lease holder) and
 * a batch of 10,000 members stored as items of their own and read back in order.
 */
@Timeout(120)
class DynamoDbAnchorLedgerOnEmulatorTest {
    private static final Instant T0 = Instant.parse("2026-03-14T13:00:00Z");
    private static final EthereumAddress SIGNER = EthereumAddress.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    private static final String ROOT = "0x" + "ab".repeat(32);
    private static LocalAwsStack stack;
    private static DynamoDbAnchorLedger ledger;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(DynamoDbAnchorLedger.definition("anchor-ledger-test"));
        ledger = new DynamoDbAnchorLedger(stack.clients().dynamoDb(), "anchor-ledger-test");
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static AnchorCandidate candidate(String id, int secondsAfter, int hashByte) {
        return new AnchorCandidate(id, String.format("%02x", hashByte).repeat(32), "waybill.custody.transferred.v1",
                "006141411234567890", T0.plusSeconds(secondsAfter));
    }

    @Test
    void queueClaimReleaseVersionsNonceAndLease() {
        AnchorCandidate a = candidate("q-a", 10, 1);
        AnchorCandidate b = candidate("q-b", 5, 2);
        assertThat(ledger.enqueue(a)).isTrue();
        assertThat(ledger.enqueue(b)).isTrue();
        assertThat(ledger.enqueue(a)).as("a redelivery").isFalse();
        assertThat(ledger.oldestQueued(10)).extracting(AnchorCandidate::eventId).containsExactly("q-b", "q-a");
        assertThat(ledger.oldestQueued(1)).extracting(AnchorCandidate::eventId).containsExactly("q-b");

        AnchorBatch sealing = AnchorBatch.sealing(ROOT, 2, "urn:waybill:anchor-batch:" + ROOT, T0);
        assertThat(ledger.createBatch(sealing, List.of(b, a))).isTrue();
        assertThat(ledger.createBatch(sealing, List.of(b, a))).as("the same root again").isFalse();
        assertThat(ledger.claim("q-b", ROOT, 0)).isTrue();
        assertThat(ledger.claim("q-b", ROOT, 0)).as("no longer queued").isFalse();
        assertThat(ledger.oldestQueued(10)).extracting(AnchorCandidate::eventId).containsExactly("q-a");
        ledger.release("q-b", ROOT);
        assertThat(ledger.oldestQueued(10)).extracting(AnchorCandidate::eventId).containsExactly("q-b", "q-a");
        assertThat(ledger.claim("q-b", ROOT, 0)).isTrue();
        assertThat(ledger.claim("q-a", ROOT, 1)).isTrue();
        assertThat(ledger.enqueue(a)).as("a redelivery of a batched event").isFalse();
        assertThat(ledger.members(ROOT)).containsExactly(b, a);

        AnchorBatch sealed = sealing.in(AnchorBatch.State.SEALED);
        assertThat(ledger.update(sealed)).isTrue();
        assertThat(ledger.update(sealed)).as("written over a version no longer stored").isFalse();
        assertThat(ledger.openBatches()).extracting(AnchorBatch::root).contains(ROOT);

        AnchorAttempt attempt = new AnchorAttempt(BigInteger.valueOf(7), "0x" + "cd".repeat(32), "0x02f8aa",
                new AnchorChain.Fees(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(100_000_000L)), 60_902,
                T0.plusSeconds(30), null, false);
        AnchorBatch sending = sealed.withAttempt(attempt);
        assertThat(ledger.storeAttempt(sending, SIGNER, Optional.of(BigInteger.ONE), BigInteger.valueOf(8)))
                .as("the nonce is not at the expected value: nothing stored").isFalse();
        assertThat(ledger.batch(ROOT)).contains(sealed);
        assertThat(ledger.nextNonce(SIGNER)).isEmpty();
        assertThat(ledger.storeAttempt(sending, SIGNER, Optional.empty(), BigInteger.valueOf(8))).isTrue();
        assertThat(ledger.batch(ROOT)).contains(sending);
        assertThat(ledger.nextNonce(SIGNER)).contains(BigInteger.valueOf(8));
        assertThat(ledger.storeAttempt(sending.withAttempt(attempt), SIGNER, Optional.empty(), BigInteger.TEN))
                .as("a second writer that read the nonce as never stored").isFalse();

        AnchorBatch included = sending.includedIn(new AnchorChain.Inclusion(attempt.hash(), 12, "0x" + "ef".repeat(32),
                true, 48_721));
        assertThat(ledger.update(included)).isTrue();
        assertThat(ledger.batch(ROOT)).contains(included);
        assertThat(ledger.update(included.in(AnchorBatch.State.CONFIRMED))).isTrue();
        assertThat(ledger.openBatches()).extracting(AnchorBatch::root).doesNotContain(ROOT);

        assertThat(ledger.holdLease("writer#" + SIGNER, "run-1", T0, T0.plusSeconds(90))).isTrue();
        assertThat(ledger.holdLease("writer#" + SIGNER, "run-2", T0.plusSeconds(30), T0.plusSeconds(120))).isFalse();
        assertThat(ledger.holdLease("writer#" + SIGNER, "run-1", T0.plusSeconds(30), T0.plusSeconds(120))).isTrue();
        assertThat(ledger.holdLease("writer#" + SIGNER, "run-2", T0.plusSeconds(120), T0.plusSeconds(200)))
                .as("expired").isTrue();
        ledger.releaseLease("writer#" + SIGNER, "run-1");
        assertThat(ledger.holdLease("writer#" + SIGNER, "run-1", T0.plusSeconds(121), T0.plusSeconds(200))).isFalse();
        ledger.releaseLease("writer#" + SIGNER, "run-2");
        assertThat(ledger.holdLease("writer#" + SIGNER, "run-1", T0.plusSeconds(121), T0.plusSeconds(200))).isTrue();
    }

    @Test
    void aNonceReservedByAWriterThatDiedBeforeStoringItsAttemptGoesBack() {
        EthereumAddress signer = EthereumAddress.parse("0x70997970c51812dc3a010c7d01b50e8fa4f04fb3");
        String root = "0x" + "34".repeat(32);
        AnchorBatch sealed = AnchorBatch.sealing(root, 1, "urn:x:" + root, T0).in(AnchorBatch.State.SEALED);
        ledger.createBatch(AnchorBatch.sealing(root, 1, "urn:x:" + root, T0), List.of(candidate("m-1", 0, 9)));
        ledger.update(sealed);
        AnchorAttempt first = new AnchorAttempt(BigInteger.valueOf(3), "0x" + "01".repeat(32), "0x02aa",
                new AnchorChain.Fees(BigInteger.TEN, BigInteger.ONE), 60_000, T0, null, false);
        AnchorBatch sending = sealed.withAttempt(first);
        assertThat(ledger.storeAttempt(sending, signer, Optional.empty(), BigInteger.valueOf(4))).isTrue();
        // a writer moved the nonce to 5 for an attempt "0x02..." of this batch, then died before writing the batch
        stack.clients().dynamoDb().updateItem(b -> b.tableName("anchor-ledger-test")
                .key(java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "nonce#" + signer), "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "nonce")))
                .updateExpression("SET #n = :n, pendingRoot = :r, pendingHash = :h, pendingPrevious = :p")
                .expressionAttributeNames(java.util.Map.of("#n", "next"))
                .expressionAttributeValues(java.util.Map.of(
                        ":n", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("5"),
                        ":r", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(root),
                        ":h", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("0x" + "02".repeat(32)),
                        ":p", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("4"))));
        assertThat(ledger.nextNonce(signer)).as("nonce 4 was never used: handed out again").contains(BigInteger.valueOf(4));
        // the same, but the batch was written before the death: the move stands
        AnchorAttempt second = new AnchorAttempt(BigInteger.valueOf(4), "0x" + "02".repeat(32), "0x02bb",
                new AnchorChain.Fees(BigInteger.TEN, BigInteger.ONE), 60_000, T0, null, false);
        assertThat(ledger.update(sending.withAttempt(second))).isTrue();
        stack.clients().dynamoDb().updateItem(b -> b.tableName("anchor-ledger-test")
                .key(java.util.Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "nonce#" + signer), "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "nonce")))
                .updateExpression("SET #n = :n, pendingRoot = :r, pendingHash = :h, pendingPrevious = :p")
                .expressionAttributeNames(java.util.Map.of("#n", "next"))
                .expressionAttributeValues(java.util.Map.of(
                        ":n", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("5"),
                        ":r", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(root),
                        ":h", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("0x" + "02".repeat(32)),
                        ":p", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("4"))));
        assertThat(ledger.nextNonce(signer)).contains(BigInteger.valueOf(5));
    }

    @Test
    void aBatchOfTenThousandMembersIsStoredAsItemsAndDissolvedWhole() {
        String root = "0x" + "12".repeat(32);
        List<AnchorCandidate> members = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            members.add(new AnchorCandidate("big-" + i, String.format("%064x", i + 1),
                    "waybill.custody.transferred.v1", null, T0.plusMillis(i)));
        }
        assertThat(ledger.createBatch(AnchorBatch.sealing(root, members.size(), "urn:x:" + root, T0), members))
                .isTrue();
        assertThat(ledger.members(root)).containsExactlyElementsOf(members);
        ledger.deleteBatch(root);
        assertThat(ledger.members(root)).isEmpty();
        assertThat(ledger.batch(root)).isEmpty();
    }
}
