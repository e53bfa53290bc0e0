package io.waybill.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
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
    private WaybillApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        compose(app, System.getenv());
        app.synth();
    }

    /** Adds the stage's stack (and the cdk-nag checks) to {@code app}. */
    public static WaybillStack compose(App app, Map<String, String> environment) {
        StageConfig config = StageConfig.fromContext(app.getNode());
        StackProps.Builder props = StackProps.builder()
                .description("Waybill supply-chain event platform, stage " + config.stage());
        Optional<String> account = nonBlank(environment.get("CDK_DEFAULT_ACCOUNT"));
        Optional<String> region = nonBlank(environment.get("CDK_DEFAULT_REGION"));
        if (account.isPresent() && region.isPresent()) {
            props.env(Environment.builder().account(account.get()).region(region.get()).build());
        }
        WaybillStack stack = new WaybillStack(app, config, BuildArtifacts.in(config.repoRoot()), props.build());
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        return stack;
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
