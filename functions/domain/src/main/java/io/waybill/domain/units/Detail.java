package io.waybill.domain.units;

import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;

import java.math.BigDecimal;

/** Shared pieces of rejection details for the units package. */
final class Detail {
    private static final int MAX_ECHO = 64;

    private Detail() {
    }

    /** Returns {@code text} stripped; null or blank is {@link RejectionReason#MISSING_FIELD}. */
    static String present(String text, String field) {
        if (text == null) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, field + ": missing");
        }
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, field + ": blank");
        }
        return stripped;
    }

    static RejectedRecordException reject(RejectionReason reason, String field, String value, String problem) {
        return new RejectedRecordException(reason, field + " " + quote(value) + ": " + problem);
    }

    /** The value in double quotes, truncated and with control characters and quotes escaped. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder().append('"');
        int limit = Math.min(value.length(), MAX_ECHO);
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

    /** A double for a message, without a spurious exponent or trailing ".0" noise beyond what the value has. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
