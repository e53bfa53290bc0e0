package io.waybill.local.iot;

/** A rule definition that cannot be evaluated locally: invalid, or outside the supported subset. */
public class RuleDefinitionException extends IllegalArgumentException {
    public RuleDefinitionException(String message) {
        super(message);
    }
}
