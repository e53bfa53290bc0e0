package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

/**
 * How a rejected input value appears in a rejection detail, shared by the identity, units and time parsers so that
 * every detail has the same form: {@code field "value": problem}, the value quoted, escaped and abbreviated so it is
 * safe for a log line, and a bad character described so that an invisible one can still be seen.
 *
 * <p>Public only so that the other domain packages can use it; it is not part of the parsers' API.
 */
public final class RejectedValue {
    /** Longest part of a rejected value echoed back in a detail message. */
    private static final int MAX_ECHO = 64;

    private RejectedValue() {
    }

    /**
     * Returns {@code text} without surrounding whitespace; rejects a null value ({@code field: missing}) or a blank one
     * ({@code field: blank}) with {@link RejectionReason#MISSING_FIELD}.
     *
     * @param field the name of the field the value came from, used in the rejection detail
     */
    public static String requirePresent(String text, String field) {
        if (text == null) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, field + ": missing");
        }
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, field + ": blank");
        }
        return stripped;
    }

    /** A rejection for {@code reason} with the detail {@code field "value": problem}, the value {@link #quote}d. */
    public static RejectedRecordException reject(RejectionReason reason, String field, String value, String problem) {
        return new RejectedRecordException(reason, field + " " + quote(value) + ": " + problem);
    }

    /**
     * The value in double quotes, safe for a log line: {@code "} and a backslash are escaped with a backslash,
     * control characters and whitespace other than the space are written as a backslash, {@code u} and four hex
     * digits, and a value longer than 64 characters is cut there and followed by {@code ...(n chars)}.
     */
    public static String quote(String value) {
        int limit = Math.min(value.length(), MAX_ECHO);
        StringBuilder out = new StringBuilder(limit + 8).append('"');
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isWhitespace(c) && c != ' ') {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > MAX_ECHO) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.append('"').toString();
    }

    /**
     * A character for a message: {@code 'O'}, or, when it is invisible, {@code a space}, {@code whitespace U+00A0}
     * or its code point ({@code U+200B}).
     */
    public static String describe(char c) {
        if (Character.isWhitespace(c)) {
            return c == ' ' ? "a space" : String.format("whitespace U+%04X", (int) c);
        }
        if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }
}
