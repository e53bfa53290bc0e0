package io.waybill.infra;

import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * A Lambda function run by an EventBridge schedule (the incident backlog, the KPI publisher, the breach confirmer):
 * the function, its own role and the rule, created by the subclass through {@link JavaFunction} and
 * {@link FunctionSchedule}. Adds no construct level of its own, so logical ids are the subclass's.
 */
abstract class ScheduledJob extends Construct {
    private Function function;
    private Role role;
    private Rule schedule;

    protected ScheduledJob(Construct scope, String id) {
        super(scope, id);
    }

    /** Takes the function and role the subclass built. */
    protected final void adopt(JavaFunction built) {
        this.function = built.function();
        this.role = built.role();
    }

    /** The rule that invokes the function every {@code minutes}. */
    protected final void runEvery(int minutes, String ruleName, String description) {
        this.schedule = FunctionSchedule.every(this, minutes, function, ruleName, description);
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
