package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.IFunction;
import software.constructs.Construct;

import java.util.List;

/**
 * An EventBridge rule (construct id {@code Schedule}, under the caller's scope so its logical id is the caller's own)
 * that invokes a function every few minutes. A run the next one supersedes is worthless: an event still undelivered
 * after one period is given up, after at most {@value #RETRY_ATTEMPTS} retries.
 */
final class FunctionSchedule {
    static final int RETRY_ATTEMPTS = 2;

    private FunctionSchedule() {
    }

    /** Invokes {@code function} every {@code minutes} minutes, from a rule named {@code ruleName}. */
    static Rule every(Construct scope, int minutes, IFunction function, String ruleName, String description) {
        return on(scope, Schedule.rate(Duration.minutes(minutes)), Duration.minutes(minutes), function, ruleName,
                description);
    }

    /**
     * Invokes {@code function} on {@code schedule} (e.g. a daily {@code cron(...)}), giving up an undelivered event
     * after {@code maxEventAge}.
     */
    static Rule on(Construct scope, Schedule schedule, Duration maxEventAge, IFunction function, String ruleName,
                   String description) {
        return Rule.Builder.create(scope, "Schedule")
                .ruleName(ruleName)
                .description(description)
                .schedule(schedule)
                .targets(List.of(LambdaFunction.Builder.create(function)
                        .maxEventAge(maxEventAge)
                        .retryAttempts(RETRY_ATTEMPTS)
                        .build()))
                .build();
    }
}
