package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The incident-backlog function ({@code IncidentBacklogHandler}, same jar as the decision function) and the schedule
 * that runs it every {@value #RATE_MINUTES} minutes. Each run queries the incidents table's {@code byStatus} index and
 * publishes {@code OpenIncidents}, {@code AcknowledgedIncidents} and {@code OldestOpenIncidentAgeSeconds} (0 when
 * nothing is open) as EMF metrics, {@code Service=}{@value #METRICS_SERVICE}: the exception-age alarm watches the last.
 */
public final class IncidentBacklogMonitor extends Construct {
    public static final String HANDLER = "io.waybill.coldchain.IncidentBacklogHandler::handleRequest";
    /** How often the backlog is measured: the exception-age alarm's 15-minute period sees three data points. */
    public static final int RATE_MINUTES = 5;

    /*
     * Two Query pages on an index and three metrics: 512 MB and 30 s are plenty. No SnapStart (nor alias/version):
     * the function is not latency-sensitive (nobody waits on it; a cold start adds a second or two to a run every five
     * minutes), and a run every five minutes keeps an execution environment warm most of the time anyway. No X-Ray
     * either: there is no request path to follow, the function's metrics and log line are the whole story.
     */
    public static final int MEMORY_MB = 512;
    public static final Duration TIMEOUT = Duration.seconds(30);
    /** Powertools EMF metrics: the {@code Service} dimension the exception-age alarm selects on. */
    public static final String METRICS_SERVICE = "incident-backlog";
    public static final String METRICS_NAMESPACE = IngestService.METRICS_NAMESPACE;

    private final Function function;
    private final Role role;
    private final Rule schedule;

    public IncidentBacklogMonitor(Construct scope, String id, StageConfig config, Path coldChainJar,
                                  ColdChainStore store) {
        super(scope, id);
        String functionName = config.resourceName("incident-backlog");
        LogGroup logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/aws/lambda/" + functionName)
                .retention(IngestService.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Waybill " + config.stage() + " incident-backlog function")
                .build();
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logGroup.getLogGroupArn()))
                .build());
        this.function = Function.Builder.create(this, "Function")
                .functionName(functionName)
                .description("Every " + RATE_MINUTES + " minutes: open/acknowledged incidents and the oldest open "
                        + "incident's age as metrics")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(HANDLER)
                .code(Code.fromAsset(BuildArtifacts.requireFile(coldChainJar,
                        "build it with: mvn -B install -DskipTests -pl functions/coldchain -am").toString()))
                .memorySize(MEMORY_MB)
                .timeout(TIMEOUT)
                .logGroup(logGroup)
                .role(role)
                .environment(Map.of(
                        "WAYBILL_INCIDENTS_TABLE", store.incidents().getTableName(),
                        "POWERTOOLS_SERVICE_NAME", METRICS_SERVICE,
                        "POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE))
                .build();
        store.grantBacklogReads(role);

        this.schedule = Rule.Builder.create(this, "Schedule")
                .ruleName(config.resourceName("incident-backlog"))
                .description("Measure the incident backlog every " + RATE_MINUTES + " minutes")
                .schedule(Schedule.rate(Duration.minutes(RATE_MINUTES)))
                // A run the next one supersedes is worthless: give up an undelivered event after one period.
                .targets(List.of(LambdaFunction.Builder.create(function)
                        .maxEventAge(Duration.minutes(RATE_MINUTES))
                        .retryAttempts(2)
                        .build()))
                .build();
    }

    public Function function() {
        return function;
    }

    public Role role() {
        return role;
    }

    public Rule schedule() {
        return schedule;
    }
}
