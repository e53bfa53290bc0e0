package io.waybill.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WaybillAppTest {

    @Test
    void appSynthWritesTheDevStackTemplate() {
        // The dev variant is composed by WaybillApp.compose and synthesised with App.synth(), as main() does.
        var dev = SynthesizedStacks.dev();
        var stack = dev.assembly().getStackByName("Waybill-dev");
        Path template = Path.of(stack.getTemplateFullPath());
        assertThat(template).exists().startsWith(dev.outdir());
        assertThat(dev.assembly().getStacks()).hasSize(1);
        assertThat(stack.getTemplate().toString()).contains("AWS::Lambda::EventSourceMapping");
        assertThat(dev.outdir().resolve("manifest.json")).exists();
    }

    @Test
    void accountAndRegionAreTakenFromTheCliEnvironmentWhenBothAreSet() {
        App app = new App(AppProps.builder().outdir(SynthesizedStacks.outdir("env-bound").toString()).build());
        WaybillStack stack = WaybillApp.compose(app, Map.of("CDK_DEFAULT_ACCOUNT", "111122223333",
                "CDK_DEFAULT_REGION", "eu-west-1"));
        assertThat(stack.getAccount()).isEqualTo("111122223333");
        assertThat(stack.getRegion()).isEqualTo("eu-west-1");
    }

    @Test
    void badContextIsOneLineOnStderrAndExitCode2NotAStackTrace() {
        var err = new java.io.ByteArrayOutputStream();
        App app = new App(AppProps.builder().outdir(SynthesizedStacks.outdir("bad-context").toString())
                .context(new java.util.HashMap<>(Map.of("shardcount", "4"))).build());
        int exit = WaybillApp.run(app, Map.of(), new java.io.PrintStream(err, true));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("waybill synth: unknown context key shardcount (did you mean shardCount?)"));
    }

    @Test
    void stackIsEnvironmentAgnosticWithoutCliEnvironment() {
        App app = new App(AppProps.builder().outdir(SynthesizedStacks.outdir("env-agnostic").toString()).build());
        WaybillStack stack = WaybillApp.compose(app, Map.of("CDK_DEFAULT_REGION", "eu-west-1"));
        assertThat(stack.getAccount()).isEqualTo(software.amazon.awscdk.Aws.ACCOUNT_ID);
        assertThat(stack.getRegion()).isEqualTo(software.amazon.awscdk.Aws.REGION);
    }
}
