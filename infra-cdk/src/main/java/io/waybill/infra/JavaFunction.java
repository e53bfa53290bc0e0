package io.waybill.infra;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Waybill Lambda function as every service deploys one: its own log group {@code /aws/lambda/<name>} (kept
 * {@link #LOG_RETENTION}, removed with the stack), its own role assumed by Lambda whose only starting statement is
 * {@code logs:CreateLogStream}/{@code logs:PutLogEvents} on that log group (no AWSLambdaBasicExecutionRole, a managed
 * policy granting {@code logs:*} on every log group), and the function itself: Java 21 on arm64, code from a shaded
 * jar. Optionally SnapStart behind a {@code live} alias of the current version, and X-Ray active tracing.
 *
 * <p>Not a construct of its own: the log group, role, function (and alias) are created directly under the owning
 * service's scope with the ids {@code Logs}, {@code Role}, {@code Function} (and {@code Live}), so their logical ids
 * are those of a service that builds them by hand. Grants and event sources stay with the service.
 */
public record JavaFunction(LogGroup logGroup, Role role, Function function, Alias alias) {
    /** Log retention of every function's log group. */
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;

    /** Starts a function named {@code functionName} (also its log group's name) under {@code scope}. */
    static Builder in(Construct scope, String functionName) {
        return new Builder(scope, functionName);
    }

    /** The {@code live} alias SnapStart serves; only for functions built with {@link Builder#snapStartAlias}. */
    @Override
    public Alias alias() {
        return Objects.requireNonNull(alias, "built without snapStartAlias");
    }

    static final class Builder {
        private final Construct scope;
        private final String functionName;
        private String roleDescription;
        private String description;
        private String handler;
        private Path jar;
        private String jarModule;
        private int memoryMb;
        private Duration timeout;
        private Map<String, String> environment = Map.of();
        private String aliasName;
        private boolean activeTracing;
        private Integer reservedConcurrency;

        private Builder(Construct scope, String functionName) {
            this.scope = scope;
            this.functionName = functionName;
        }

        /** The role's description, e.g. {@code Waybill dev ingest function}. */
        Builder roleDescription(String roleDescription) {
            this.roleDescription = roleDescription;
            return this;
        }

        Builder description(String description) {
            this.description = description;
            return this;
        }

        Builder handler(String handler) {
            this.handler = handler;
            return this;
        }

        /** The shaded jar to deploy and the Maven module that builds it (named when the jar is missing). */
        Builder code(Path jar, String module) {
            this.jar = jar;
            this.jarModule = module;
            return this;
        }

        Builder memoryMb(int memoryMb) {
            this.memoryMb = memoryMb;
            return this;
        }

        Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        Builder environment(Map<String, String> environment) {
            // Sorted: Map.of's order changes from one JVM to the next, and with it the synthesized template's bytes.
            this.environment = new java.util.TreeMap<>(environment);
            return this;
        }

        /**
         * SnapStart on published versions, and an alias {@code aliasName} (construct id {@code Live}) on the current
         * version, published with each change, for event sources to invoke.
         */
        Builder snapStartAlias(String aliasName) {
            this.aliasName = aliasName;
            return this;
        }

        /** At most {@code n} instances at once ({@code ReservedConcurrentExecutions}). */
        Builder reservedConcurrency(int n) {
            this.reservedConcurrency = n;
            return this;
        }

        /** X-Ray active tracing. */
        Builder activeTracing() {
            this.activeTracing = true;
            return this;
        }

        JavaFunction build() {
            LogGroup logGroup = LogGroup.Builder.create(scope, "Logs")
                    .logGroupName("/aws/lambda/" + functionName)
                    .retention(LOG_RETENTION)
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            Role role = Role.Builder.create(scope, "Role")
                    .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                    .description(roleDescription)
                    .build();
            role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .effect(Effect.ALLOW)
                    .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                    .resources(List.of(logGroup.getLogGroupArn()))
                    .build());
            Function.Builder function = Function.Builder.create(scope, "Function")
                    .functionName(functionName)
                    .description(description)
                    .runtime(Runtime.JAVA_21)
                    .architecture(Architecture.ARM_64)
                    .handler(handler)
                    .code(Code.fromAsset(BuildArtifacts.requireFile(jar,
                            "build it with: mvn -B install -DskipTests -pl " + jarModule + " -am").toString()))
                    .memorySize(memoryMb)
                    .timeout(timeout);
            if (aliasName != null) {
                function.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
            }
            if (activeTracing) {
                function.tracing(Tracing.ACTIVE);
            }
            if (reservedConcurrency != null) {
                function.reservedConcurrentExecutions(reservedConcurrency);
            }
            Function built = function
                    .logGroup(logGroup)
                    .role(role)
                    .environment(environment)
                    .build();
            Alias alias = null;
            if (aliasName != null) {
                alias = Alias.Builder.create(scope, "Live")
                        .aliasName(aliasName)
                        .version(built.getCurrentVersion())
                        .build();
                // CDK warns that SnapStart needs a published version: the alias publishes one on every code change.
                Annotations.of(built).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                        "the alias '" + aliasName + "' points at currentVersion, published with each change");
            }
            return new JavaFunction(logGroup, role, built, alias);
        }
    }
}
