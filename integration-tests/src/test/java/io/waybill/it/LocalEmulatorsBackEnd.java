package io.waybill.it;

import io.waybill.local.AwsClients;
import io.waybill.local.stack.LocalAwsStack;

/**
 * The local emulators: kinesis-mock (npm kinesis-local) and dynalite as Node.js processes, ElasticMQ embedded in
 * this JVM, all started by {@link LocalAwsStack#start()} on free loopback ports. Needs only Node.js (the npm
 * packages are installed from {@code local-runtime/package-lock.json} on first use).
 */
final class LocalEmulatorsBackEnd implements AwsBackEnd {
    private final LocalAwsStack stack;

    private LocalEmulatorsBackEnd(LocalAwsStack stack) {
        this.stack = stack;
    }

    static LocalEmulatorsBackEnd start() {
        return new LocalEmulatorsBackEnd(LocalAwsStack.start());
    }

    @Override
    public String name() {
        return "local emulators";
    }

    @Override
    public AwsClients clients() {
        return stack.clients();
    }

    @Override
    public void close() {
        stack.close();
    }
}
