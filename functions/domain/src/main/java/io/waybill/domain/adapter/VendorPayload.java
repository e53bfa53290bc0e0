package io.waybill.domain.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.normalize.RejectedRecordException;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.units.Numbers;

import java.util.Optional;

/**
 * Read access to a vendor's JSON object by dotted path ({@code reading.celsius}), turning every contract breach
 * into a {@link RejectedRecordException} that names the path. Numbers may arrive as JSON numbers or as strings.
 */
public final class VendorPayload {
    private final ObjectNode root;

    public VendorPayload(ObjectNode root) {
        this.root = root;
    }

    public ObjectNode root() {
        return root;
    }

    public Optional<JsonNode> node(String path) {
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n.get(part);
            if (n == null || n.isNull()) {
                return Optional.empty();
            }
        }
        return Optional.of(n);
    }

    public JsonNode requiredNode(String path) {
        return node(path).orElseThrow(() -> missing(path));
    }

    public boolean has(String path) {
        return node(path).isPresent();
    }

    public String text(String path) {
        JsonNode n = requiredNode(path);
        if (!n.isValueNode()) {
            throw new RejectedRecordException(RejectionReason.MISSING_FIELD, path + ": expected a value, got " + n.getNodeType());
        }
        String s = n.asText().strip();
        if (s.isEmpty()) {
            throw missing(path);
        }
        return s;
    }

    public Optional<String> optionalText(String path) {
        return node(path).filter(JsonNode::isValueNode).map(n -> n.asText().strip()).filter(s -> !s.isEmpty());
    }

    public double decimal(String path) {
        return toDecimal(requiredNode(path), path);
    }

    public Optional<Double> optionalDecimal(String path) {
        return node(path).map(n -> toDecimal(n, path));
    }

    public long integer(String path) {
        return toInteger(requiredNode(path), path);
    }

    public Optional<Long> optionalInteger(String path) {
        return node(path).map(n -> toInteger(n, path));
    }

    private static double toDecimal(JsonNode n, String path) {
        if (n.isNumber()) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, path + ": not a finite number");
            }
            return d;
        }
        if (n.isTextual()) {
            return Numbers.parseDecimal(n.asText(), path);
        }
        throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, path + ": expected a number, got " + n.getNodeType());
    }

    private static long toInteger(JsonNode n, String path) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        }
        if (n.isTextual()) {
            return Numbers.parseInteger(n.asText(), path);
        }
        throw new RejectedRecordException(RejectionReason.IMPOSSIBLE_VALUE, path + ": expected an integer, got " + n);
    }

    private static RejectedRecordException missing(String path) {
        return new RejectedRecordException(RejectionReason.MISSING_FIELD, path + " is required");
    }
}
