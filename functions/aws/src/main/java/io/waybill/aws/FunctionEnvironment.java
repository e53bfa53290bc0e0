package io.waybill.aws;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Reading a function's settings from its environment variables, with one error style: a missing required variable, or
 * a value that does not parse, is an {@link IllegalArgumentException} naming the variable and the value (a cold start
 * that fails on its configuration says which variable to fix). Blank counts as unset; values are trimmed.
 */
public final class FunctionEnvironment {
    private FunctionEnvironment() {
    }

    /** The variable's value. @throws IllegalArgumentException when it is unset or blank */
    public static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v.trim();
    }

    /** A whole number, or {@code fallback} when unset. */
    public static int integer(Map<String, String> env, String name, int fallback) {
        long v = integer(env, name, (long) fallback);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is out of range: " + v);
        }
        return (int) v;
    }

    /** A whole number, or {@code fallback} when unset. */
    public static long integer(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: " + v, e);
        }
    }

    /** A decimal number, or {@code fallback} when unset. */
    public static double decimal(Map<String, String> env, String name, double fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number: " + v, e);
        }
    }

    /** An ISO-8601 duration ({@code PT20S}), or {@code fallback} when unset. */
    public static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT20S: " + v, e);
        }
    }
}
