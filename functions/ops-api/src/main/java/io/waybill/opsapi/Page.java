package io.waybill.opsapi;

import java.util.List;

/**
 * One page of a list and the opaque token of the next one (null when this is the last page). A page may hold fewer
 * items than asked for and still have a next page: filters are applied while the store is read.
 */
public record Page<T>(List<T> items, String nextPageToken) {
    public Page {
        items = List.copyOf(items);
    }
}
