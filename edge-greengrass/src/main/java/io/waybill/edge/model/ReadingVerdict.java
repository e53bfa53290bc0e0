package io.waybill.edge.model;

/** What a detector made of one reading before looking at the band. */
public enum ReadingVerdict {
    /** Plausible and in time order: used by the models. */
    ACCEPTED,
    /** A sensor glitch: outside the plausible range or a physically implausible jump. Ignored. */
    GLITCH,
    /** Not later than the previous reading of the same sensor (duplicate or reordered). Ignored. */
    OUT_OF_ORDER
}
