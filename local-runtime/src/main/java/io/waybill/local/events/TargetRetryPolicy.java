package io.waybill.local.events;

/**
 * A target's {@code RetryPolicy}: retries after the first attempt, and the oldest an event may be when it is tried.
 * EventBridge's defaults are 185 retries and 24 hours; AWS accepts 0..185 and 60..86400 seconds.
 */
public record TargetRetryPolicy(int maximumRetryAttempts, int maximumEventAgeInSeconds) {
    public static final TargetRetryPolicy AWS_DEFAULT = new TargetRetryPolicy(185, 86_400);

    public TargetRetryPolicy {
        if (maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
            throw new IllegalArgumentException("MaximumRetryAttempts must be 0..185: " + maximumRetryAttempts);
        }
        if (maximumEventAgeInSeconds < 60 || maximumEventAgeInSeconds > 86_400) {
            throw new IllegalArgumentException("MaximumEventAgeInSeconds must be 60..86400: " + maximumEventAgeInSeconds);
        }
    }
}
