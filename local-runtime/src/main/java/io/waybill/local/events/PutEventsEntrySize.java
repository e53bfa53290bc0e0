package io.waybill.local.events;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The size of a PutEvents entry as EventBridge computes it ("Calculating Amazon EventBridge PutEvents event entry
 * size"): 14 bytes for {@code Time} if present, plus the UTF-8 bytes of {@code Source} and {@code DetailType}, of
 * {@code Detail} if present and of each {@code Resources} element. {@code EventBusName} and {@code TraceHeader} do not
 * count. The limit is 256 KB ({@value #MAX_BYTES} bytes) for the entries of one request.
 */
public final class PutEventsEntrySize {
    public static final int MAX_BYTES = 256 * 1024;
    public static final int TIME_BYTES = 14;

    private PutEventsEntrySize() {
    }

    public static long of(boolean hasTime, String source, String detailType, String detail, List<String> resources) {
        long size = hasTime ? TIME_BYTES : 0;
        size += utf8(source) + utf8(detailType) + utf8(detail);
        if (resources != null) {
            for (String r : resources) {
                size += utf8(r);
            }
        }
        return size;
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
