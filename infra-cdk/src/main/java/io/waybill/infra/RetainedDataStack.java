package io.waybill.infra;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/**
 * {@code Waybill-<stage>} with only what a destroy leaves behind ({@code retainData=true}): the event store and the
 * cold-chain tables, the device registry, the raw archive and dead-letter payload buckets, and their five keys, under the same construct
 * ids as in {@link WaybillStack}, so their logical ids
 * are the full stack's. {@code cdk import} adopts the retained resources into a new stack from this template (an
 * import may create nothing else); the next {@code cdk deploy} of the full stack then adds everything around them
 * and finds the tables and keys already in place (README, "Redeploy a stage after a destroy").
 * Synthesised with {@code -c importRetainedData=true}.
 */
public final class RetainedDataStack extends Stack {
    private final EventStore eventStore;
    private final ColdChainStore coldChainStore;
    private final RawArchive rawArchive;
    private final DeadLetterPayloads deadLetterPayloads;
    private final DeviceRegistry deviceRegistry;

    public RetainedDataStack(Construct scope, StageConfig config, StackProps props) {
        super(scope, config.stackName(), props);
        if (!config.importRetainedData() || !config.retainData()) {
            throw new IllegalArgumentException("RetainedDataStack is the importRetainedData=true synth of a stage "
                    + "that retains its data");
        }
        Tags.of(this).add(WaybillStack.STAGE_TAG, config.stage());
        this.eventStore = new EventStore(this, WaybillStack.EVENT_STORE_ID, config);
        this.coldChainStore = new ColdChainStore(this, WaybillStack.COLD_CHAIN_STORE_ID, config);
        this.rawArchive = new RawArchive(this, WaybillStack.RAW_ARCHIVE_ID, config);
        this.deadLetterPayloads = new DeadLetterPayloads(this, WaybillStack.DEAD_LETTER_PAYLOADS_ID, config);
        this.deviceRegistry = new DeviceRegistry(this, WaybillStack.DEVICE_REGISTRY_ID, config);
    }

    public EventStore eventStore() {
        return eventStore;
    }

    public ColdChainStore coldChainStore() {
        return coldChainStore;
    }

    public RawArchive rawArchive() {
        return rawArchive;
    }

    public DeadLetterPayloads deadLetterPayloads() {
        return deadLetterPayloads;
    }

    public DeviceRegistry deviceRegistry() {
        return deviceRegistry;
    }
}
