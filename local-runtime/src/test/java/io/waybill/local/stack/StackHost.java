package io.waybill.local.stack;

import java.util.stream.Collectors;

/**
 * A JVM that only holds a local stack, for {@link EmulatorLifetimeTest}: starts it, prints {@code PIDS <pid>,...}
 * of the emulator processes on stdout and waits until it is killed.
 */
public final class StackHost {
    private StackHost() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalAwsStack stack = LocalAwsStack.start(LocalStackConfig.defaults());
        // The Node emulators, anvil's guard and the anvil binary under it (issue 14: a SIGKILLed JVM left anvil running).
        System.out.println("PIDS " + java.util.stream.Stream.concat(java.util.stream.Stream.concat(
                        stack.processes().stream(), java.util.stream.Stream.of(stack.anvilProcess())),
                        stack.anvilProcess().descendants())
                .map(p -> Long.toString(p.pid())).collect(Collectors.joining(",")));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
