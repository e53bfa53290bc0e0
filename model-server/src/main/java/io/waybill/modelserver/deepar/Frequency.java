package io.waybill.modelserver.deepar;

import java.util.Locale;

/**
 * The frequencies an instance may declare in {@code freq}, with the seasonal period the methods use, the horizon when
 * {@code prediction_length} is absent, and the longest horizon served.
 */
public enum Frequency {
    /** Monthly: period 12, default horizon 12, at most 60. */
    M(12, 12, 60),
    /** Quarterly: period 4, default horizon 8, at most 20. */
    Q(4, 8, 20),
    /** Weekly: period 52, default horizon 13, at most 104. */
    W(52, 13, 104),
    /** Daily (the default when {@code freq} is absent): period 7, default horizon 14, at most 366. */
    D(7, 14, 366),
    /** Hourly: period 24, default horizon 48, at most 336. */
    H(24, 48, 336);

    /** The frequency of an instance without {@code freq}. */
    public static final Frequency DEFAULT = D;

    private final int period;
    private final int defaultHorizon;
    private final int maxHorizon;

    Frequency(int period, int defaultHorizon, int maxHorizon) {
        this.period = period;
        this.defaultHorizon = defaultHorizon;
        this.maxHorizon = maxHorizon;
    }

    public int period() {
        return period;
    }

    public int defaultHorizon() {
        return defaultHorizon;
    }

    public int maxHorizon() {
        return maxHorizon;
    }

    /** Accepts the letters M, Q, W, D, H (any case; pandas-style "1D" with a leading 1 too). */
    public static Frequency parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.startsWith("1") && s.length() == 2) {
            s = s.substring(1);
        }
        for (Frequency f : values()) {
            if (f.name().equals(s)) {
                return f;
            }
        }
        throw new BadRequest("unknown frequency \"" + text + "\": use one of M, Q, W, D, H");
    }
}
