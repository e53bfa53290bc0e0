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
        System.out.println("PIDS " + stack.processes().stream().map(p -> Long.toString(p.pid()))
                .collect(Collectors.joining(",")));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
