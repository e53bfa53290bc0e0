package io.waybill.edge.spool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The spools a test opened, closed after it (a crashed one stays open until then, as a dead process would). Register
 * with {@code @RegisterExtension} and open spools through {@link #open}.
 */
final class OpenedSpools implements AfterEachCallback {

    private final List<Spool> opened = new ArrayList<>();

    Spool open(SpoolConfig config) throws IOException {
        Spool s = Spool.open(config);
        opened.add(s);
        return s;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        for (Spool s : opened) {
            s.close();
        }
    }
}
