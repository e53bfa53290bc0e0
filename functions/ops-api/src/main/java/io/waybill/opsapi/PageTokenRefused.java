package io.waybill.opsapi;

/** A page token this store did not issue, or issued for other filters: the caller's input, a 400 on pageToken. */
public final class PageTokenRefused extends RuntimeException {
    public PageTokenRefused(String reason) {
        super(reason);
    }
}
