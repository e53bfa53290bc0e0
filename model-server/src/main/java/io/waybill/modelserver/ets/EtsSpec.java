package io.waybill.modelserver.ets;

import java.util.Locale;

/**
 * One ETS model form: error (A/M), trend (N/A/M, optionally damped) and season (N/A/M), written like forecast's
 * {@code model} argument plus a {@code d} for damping: {@code "ANN"}, {@code "AAdN"}, {@code "MAM"}.
 */
public record EtsSpec(char error, char trend, boolean damped, char season) {

    public EtsSpec {
        if (error != 'A' && error != 'M') {
            throw new IllegalArgumentException("error must be A or M: " + error);
        }
        if (trend != 'N' && trend != 'A' && trend != 'M') {
            throw new IllegalArgumentException("trend must be N, A or M: " + trend);
        }
        if (season != 'N' && season != 'A' && season != 'M') {
            throw new IllegalArgumentException("season must be N, A or M: " + season);
        }
        if (damped && trend == 'N') {
            throw new IllegalArgumentException("a damped model needs a trend");
        }
    }

    /** Parses {@code "ANN"}, {@code "AAdN"}, {@code "MAdM"} (case-insensitive). */
    public static EtsSpec parse(String spec) {
        String s = spec.trim().toUpperCase(Locale.ROOT);
        boolean damped = s.length() == 4 && s.charAt(2) == 'D';
        if (!(s.length() == 3 || damped)) {
            throw new IllegalArgumentException("ETS spec like ANN, AAdN or MAM expected: " + spec);
        }
        return new EtsSpec(s.charAt(0), s.charAt(1), damped, s.charAt(damped ? 3 : 2));
    }

    /** forecast's restrict=TRUE: no additive error with a multiplicative trend or season, no M,M,A. */
    boolean forbidden() {
        return (error == 'A' && (trend == 'M' || season == 'M')) || (error == 'M' && trend == 'M' && season == 'A');
    }

    int errorCode() {
        return error == 'A' ? 1 : 2;
    }

    int trendCode() {
        return code(trend);
    }

    int seasonCode() {
        return code(season);
    }

    private static int code(char c) {
        return c == 'N' ? 0 : c == 'A' ? 1 : 2;
    }

    /** {@code "AAdN"} */
    public String compact() {
        return "" + error + trend + (damped ? "d" : "") + season;
    }

    /** {@code "ETS(A,Ad,N)"} as forecast prints it. */
    public String label() {
        return "ETS(" + error + "," + trend + (damped ? "d" : "") + "," + season + ")";
    }

    @Override
    public String toString() {
        return compact();
    }
}
