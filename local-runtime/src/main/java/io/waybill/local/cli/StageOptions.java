package io.waybill.local.cli;

import io.waybill.local.replay.StageStack;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --stage NAME [--profile P] [--region R]}: the commands that work on the running local stack or on a deployed
 * stage (resource names from the stack's outputs, credentials from the default provider chain).
 */
final class StageOptions {
    @Option(names = "--stage", paramLabel = "NAME", description = "A deployed stage (stack Waybill-NAME): resource"
            + " names from its stack outputs, credentials from the default provider chain.")
    String stage;
    @Option(names = "--profile", paramLabel = "NAME", description = "With --stage: the AWS profile to use.")
    String profile;
    @Option(names = "--region", paramLabel = "ID", description = "With --stage: the region (default the"
            + " profile's or the environment's).")
    String region;

    /** Whether a deployed stage was named (else: the local stack). */
    boolean deployed() {
        return stage != null;
    }

    /**
     * @throws ParameterException (exit 2) for a stage name infra-cdk would not deploy, or --profile/--region alone
     */
    void check(CommandSpec spec) {
        if (stage != null) {
            try {
                StageStack.stackName(stage);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--stage: " + e.getMessage());
            }
        }
        if (stage == null && (profile != null || region != null)) {
            throw new ParameterException(spec.commandLine(), (profile != null ? "--profile" : "--region")
                    + " goes with --stage NAME");
        }
    }
}
