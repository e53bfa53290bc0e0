package io.waybill.local.cli;

import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The emulators and a pipeline under {@code ./waybill stack}'s names, run by this JVM as if it were the stack process:
 * the state file under {@code root} names this JVM, so the CLI commands find them.
 */
record StackInThisJvm(LocalAwsStack stack, LocalPipeline pipeline) implements AutoCloseable {

    /** @param pipeline what the test adds to the stack's pipeline (one shard, the stack's names) */
    static StackInThisJvm start(Path root, UnaryOperator<LocalPipeline.Builder> pipeline) {
        LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
        LocalPipeline p = pipeline.apply(LocalPipeline.builder(stack.clients()).names(ReplayCommand.STACK_NAMES)
                .shards(1)).deploy();
        ProcessHandle self = ProcessHandle.current();
        new StackState(stack.endpoints(), p.names().stream(), p.deadLetterQueueUrl(), null, -1, null,
                self.pid(), self.info().startInstant().orElse(null)).write(root);
        return new StackInThisJvm(stack, p);
    }

    @Override
    public void close() {
        pipeline.close();
        stack.close();
    }
}
