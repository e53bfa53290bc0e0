package io.waybill.opsapi;

import io.waybill.domain.epcis.CaptureJob;
import io.waybill.domain.epcis.CapturedEvent;
import io.waybill.domain.epcis.EpcisQuery;
import io.waybill.domain.epcis.EpcisRepository;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link EpcisRepository} in maps, for the route tests: add is atomic ({@code putIfAbsent}), events come in
 * (event time, key) order, a cursor is the last key returned bound to the query's fingerprint.
 */
final class InMemoryEpcisRepository implements EpcisRepository {
    final Map<String, CapturedEvent> events = new ConcurrentHashMap<>();
    final Map<String, CaptureJob> jobs = new ConcurrentHashMap<>();

    @Override
    public Optional<CapturedEvent> event(String key) {
        return Optional.ofNullable(events.get(key));
    }

    @Override
    public boolean add(CapturedEvent event) {
        return events.putIfAbsent(event.key(), event) == null;
    }

    @Override
    public void correct(CapturedEvent event) {
        if (events.replace(event.key(), event) == null) {
            throw new IllegalStateException("no event " + event.key());
        }
    }

    @Override
    public void remove(String key) {
        events.remove(key);
    }

    @Override
    public EventPage events(EpcisQuery query, String cursor, int perPage) {
        List<CapturedEvent> all = new ArrayList<>(events.values().stream().filter(e -> query.matches(e.index()))
                .sorted(Comparator.comparing((CapturedEvent e) -> e.index().eventTime())
                        .thenComparing(CapturedEvent::key)).toList());
        int from = 0;
        if (cursor != null) {
            String decoded;
            try {
                decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new CursorRefused("not a page token of this list");
            }
            String[] parts = decoded.split("\\|", 2);
            if (parts.length != 2 || !parts[0].equals(query.fingerprint())) {
                throw new CursorRefused("not a page token of this list, or issued for other filters");
            }
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).key().equals(parts[1])) {
                    from = i + 1;
                }
            }
            if (from < 0) {
                throw new CursorRefused("not a page token of this list");
            }
        }
        List<CapturedEvent> page = all.subList(from, Math.min(all.size(), from + perPage));
        String next = from + perPage < all.size() ? Base64.getUrlEncoder().encodeToString((query.fingerprint() + "|"
                + page.get(page.size() - 1).key()).getBytes(StandardCharsets.UTF_8)) : null;
        return new EventPage(page, next);
    }

    @Override
    public void saveJob(CaptureJob job) {
        jobs.put(job.captureId(), job);
    }

    @Override
    public Optional<CaptureJob> job(String captureId) {
        return Optional.ofNullable(jobs.get(captureId));
    }

    @Override
    public List<CaptureJob> jobs(String capturedBy, int limit) {
        return jobs.values().stream().filter(j -> j.capturedBy().equals(capturedBy))
                .sorted(Comparator.comparing(CaptureJob::createdAt).reversed()).limit(limit).toList();
    }
}
