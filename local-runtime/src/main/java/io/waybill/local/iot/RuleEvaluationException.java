package io.waybill.local.iot;

/**
 * One message the rule cannot turn into a record (not a JSON object, too large, no partition key): IoT Core's rule
 * error, which the runner sends to the error action.
 */
public class RuleEvaluationException extends RuntimeException {
    public RuleEvaluationException(String message) {
        super(message);
    }
}
