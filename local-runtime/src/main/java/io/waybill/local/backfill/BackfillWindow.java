package io.waybill.local.backfill;

import io.waybill.aws.archive.RawArchiveLayout;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The archive hours a backfill reads: {@code --from} to {@code --to}, both included, in UTC hours of arrival (the
 * archive's hour folders, {@link RawArchiveLayout}), at most {@value #MAX_HOURS} hours (31 days) in one run so that a
 * typo cannot re-drive a year of traffic; a longer range is run in pieces.
 *
 * @param from the first hour (its start)
 * @param to   the last hour (its start), not before {@code from}
 */
public record BackfillWindow(Instant from, Instant to) {
    /** The longest window one run reads: 31 days. */
    public static final int MAX_HOURS = 31 * 24;
    /** {@code 2026-12-01T10}, optionally {@code :00}, {@code :00:00} and {@code Z}. */
    private static final Pattern HOUR = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})T(\\d{2})(?::(\\d{2})(?::(\\d{2}))?)?Z?");

    public BackfillWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.equals(RawArchiveLayout.hourStart(from)) || !to.equals(RawArchiveLayout.hourStart(to))) {
            throw new IllegalArgumentException("a window is whole hours: " + from + " .. " + to);
        }
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        long hours = Duration.between(from, to).toHours() + 1;
        if (hours > MAX_HOURS) {
            throw new IllegalArgumentException("--from " + from + " --to " + to + " spans " + hours
                    + " hours, more than the " + MAX_HOURS + " one backfill reads: run it in pieces");
        }
    }

    /**
     * @param from {@code --from}, e.g. {@code 2026-12-01T10}
     * @param to   {@code --to}
     * @throws IllegalArgumentException naming the option that is no UTC hour, or a window out of bounds
     */
    public static BackfillWindow parse(String from, String to) {
        return new BackfillWindow(hour("--from", from), hour("--to", to));
    }

    /** One UTC hour: {@code yyyy-MM-ddTHH}, optionally followed by {@code :00}, {@code :00:00} and {@code Z}. */
    static Instant hour(String option, String text) {
        Matcher m = HOUR.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " '" + text + "' is no UTC hour (expected yyyy-MM-ddTHH, e.g."
                    + " 2026-12-01T10)");
        }
        if ((m.group(3) != null && !m.group(3).equals("00")) || (m.group(4) != null && !m.group(4).equals("00"))) {
            throw new IllegalArgumentException(option + " '" + text + "' is not the start of an hour (the archive is"
                    + " filed by hour)");
        }
        try {
            return LocalDateTime.parse(m.group(1) + "T" + m.group(2) + ":00:00").toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is no date and hour: " + e.getMessage());
        }
    }

    /** The hours, first to last. */
    public List<Instant> hours() {
        List<Instant> out = new ArrayList<>();
        for (Instant h = from; !h.isAfter(to); h = h.plus(Duration.ofHours(1))) {
            out.add(h);
        }
        return out;
    }

    /** The hour folders to list, e.g. {@code raw/2026/12/01/10/}. */
    public List<String> prefixes() {
        return hours().stream().map(RawArchiveLayout::hourPrefix).toList();
    }

    @Override
    public String toString() {
        return from + " .. " + to.plus(Duration.ofHours(1)) + " (" + hours().size() + " hour"
                + (hours().size() == 1 ? ")" : "s)");
    }
}
