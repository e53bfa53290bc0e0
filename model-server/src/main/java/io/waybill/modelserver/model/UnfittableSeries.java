package io.waybill.modelserver.model;

/** A method cannot fit a series (too short for it, or values outside its domain). Not a server fault. */
public final class UnfittableSeries extends RuntimeException {
    public UnfittableSeries(String message) {
        super(message);
    }
}
