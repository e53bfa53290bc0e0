package io.waybill.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;

import java.util.Map;
import java.util.Optional;

/**
 * The CDK app: one {@link WaybillStack} for the stage the context names, checked by cdk-nag's AWS Solutions pack
 * (a finding is a synth error). Account and region come from {@code CDK_DEFAULT_ACCOUNT} / {@code CDK_DEFAULT_REGION}
 * when the CLI sets them (a profile is configured); without them the stack is environment-agnostic, so
 * {@code ./waybill synth} needs no AWS credentials.
 */
public final class WaybillApp {
    /** Exit code of a user error (bad context), as the {@code waybill} commands use it. */
    public static final int USAGE_ERROR_EXIT = 2;
    /**
     * Prefix of the one line a user error prints on stderr; {@code synth.sh} shows that line alone instead of the CDK
     * CLI's report of a failed subprocess.
     */
    public static final String ERROR_PREFIX = "waybill synth: ";

    private WaybillApp() {
    }

    public static void main(String[] args) {
        int exit = run(new App(), System.getenv(), System.err);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /**
     * Composes and synthesises {@code app}; a bad context is one line on {@code err} (what is wrong, what to do)
     * and exit code {@value #USAGE_ERROR_EXIT}, not a stack trace. Other failures propagate: they are bugs.
     */
    static int run(App app, Map<String, String> environment, java.io.PrintStream err) {
        try {
            composeStage(app, environment);
        } catch (StageConfigException e) {
            err.println(ERROR_PREFIX + e.getMessage() + " (fix the -c key=value; ./waybill synth --help lists the "
                    + "context keys)");
            return USAGE_ERROR_EXIT;
        }
        app.synth();
        return 0;
    }

    /**
     * Adds the stage's stack (and the cdk-nag checks) to {@code app}: the {@link WaybillStack}, or with
     * {@code importRetainedData=true} the {@link RetainedDataStack} that {@code cdk import} adopts retained data with.
     */
    static Stack composeStage(App app, Map<String, String> environment) {
        StageConfig config = StageConfig.fromContext(app.getNode());
        if (!config.importRetainedData()) {
            return compose(app, config, environment);
        }
        RetainedDataStack stack = new RetainedDataStack(app, config, props(config, environment)
                .description("Waybill supply-chain event platform, stage " + config.stage()
                        + ": retained tables and keys only, for cdk import").build());
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        return stack;
    }

    /** Adds the stage's {@link WaybillStack} (and the cdk-nag checks) to {@code app}. */
    public static WaybillStack compose(App app, Map<String, String> environment) {
        return compose(app, StageConfig.fromContext(app.getNode()), environment);
    }

    private static WaybillStack compose(App app, StageConfig config, Map<String, String> environment) {
        WaybillStack stack = new WaybillStack(app, config, BuildArtifacts.in(config.repoRoot()),
                props(config, environment).build());
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        return stack;
    }

    private static StackProps.Builder props(StageConfig config, Map<String, String> environment) {
        StackProps.Builder props = StackProps.builder()
                .description("Waybill supply-chain event platform, stage " + config.stage());
        Optional<String> account = nonBlank(environment.get("CDK_DEFAULT_ACCOUNT"));
        Optional<String> region = nonBlank(environment.get("CDK_DEFAULT_REGION"));
        if (account.isPresent() && region.isPresent()) {
            props.env(Environment.builder().account(account.get()).region(region.get()).build());
        }
        return props;
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
