package io.waybill.domain.provenance;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The ledger's conditional semantics as plain maps (the DynamoDB ledger is tested against the emulator). */
final class InMemoryAnchorLedger implements AnchorLedger {
    private record Entry(AnchorCandidate candidate, String root, int index) {
    }

    private record Lease(String owner, Instant until) {
    }

    private final Map<String, Entry> events = new HashMap<>();
    private final Map<String, AnchorBatch> batches = new TreeMap<>();
    private final Map<String, List<AnchorCandidate>> memberLists = new HashMap<>();
    private final Map<String, BigInteger> nonces = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    /** When true, every lease request is granted (two runs that both believe they hold it). */
    boolean leaseAlwaysGranted;
    /** Runs once, just before the next storeAttempt is looked at (another writer acting in between). */
    Runnable beforeStoreAttempt;

    @Override
    public synchronized boolean enqueue(AnchorCandidate candidate) {
        if (events.containsKey(candidate.eventId())) {
            return false;
        }
        events.put(candidate.eventId(), new Entry(candidate, null, -1));
        return true;
    }

    @Override
    public synchronized List<AnchorCandidate> oldestQueued(int limit) {
        return events.values().stream().filter(e -> e.root() == null).map(Entry::candidate)
                .sorted(Comparator.comparing(AnchorCandidate::queuedAt).thenComparing(AnchorCandidate::eventId))
                .limit(limit).toList();
    }

    @Override
    public synchronized boolean createBatch(AnchorBatch sealing, List<AnchorCandidate> members) {
        if (batches.putIfAbsent(sealing.root(), sealing) != null) {
            return false;
        }
        memberLists.put(sealing.root(), List.copyOf(members));
        return true;
    }

    @Override
    public synchronized boolean claim(String eventId, String root, int index) {
        Entry e = events.get(eventId);
        if (e == null || e.root() != null) {
            return false;
        }
        events.put(eventId, new Entry(e.candidate(), root, index));
        return true;
    }

    @Override
    public synchronized void release(String eventId, String root) {
        Entry e = events.get(eventId);
        if (e != null && root.equals(e.root())) {
            events.put(eventId, new Entry(e.candidate(), null, -1));
        }
    }

    @Override
    public synchronized List<AnchorCandidate> members(String root) {
        return memberLists.getOrDefault(root, List.of());
    }

    @Override
    public synchronized void deleteBatch(String root) {
        batches.remove(root);
        memberLists.remove(root);
    }

    @Override
    public synchronized Optional<AnchorBatch> batch(String root) {
        return Optional.ofNullable(batches.get(root));
    }

    @Override
    public synchronized List<AnchorBatch> openBatches() {
        return batches.values().stream().filter(b -> b.state().open())
                .sorted(Comparator.comparing(AnchorBatch::sealedAt)).toList();
    }

    synchronized List<AnchorBatch> allBatches() {
        return new ArrayList<>(batches.values());
    }

    synchronized int queuedCount() {
        return (int) events.values().stream().filter(e -> e.root() == null).count();
    }

    @Override
    public synchronized boolean update(AnchorBatch next) {
        AnchorBatch stored = batches.get(next.root());
        if (stored == null || stored.version() != next.version() - 1) {
            return false;
        }
        batches.put(next.root(), next);
        return true;
    }

    @Override
    public boolean storeAttempt(AnchorBatch next, EthereumAddress signer,
                                Optional<BigInteger> expectedNextNonce, BigInteger nextNonce) {
        Runnable hook = beforeStoreAttempt;
        beforeStoreAttempt = null;
        if (hook != null) {
            hook.run();
        }
        return store(next, signer, expectedNextNonce, nextNonce);
    }

    private synchronized boolean store(AnchorBatch next, EthereumAddress signer,
                                       Optional<BigInteger> expectedNextNonce, BigInteger nextNonce) {
        AnchorBatch stored = batches.get(next.root());
        if (stored == null || stored.version() != next.version() - 1
                || !Optional.ofNullable(nonces.get(signer.toString())).equals(expectedNextNonce)) {
            return false;
        }
        batches.put(next.root(), next);
        nonces.put(signer.toString(), nextNonce);
        return true;
    }

    @Override
    public synchronized Optional<BigInteger> nextNonce(EthereumAddress signer) {
        return Optional.ofNullable(nonces.get(signer.toString()));
    }

    @Override
    public synchronized boolean holdLease(String key, String owner, Instant now, Instant until) {
        Lease l = leases.get(key);
        if (!leaseAlwaysGranted && l != null && !l.owner().equals(owner) && l.until().isAfter(now)) {
            return false;
        }
        leases.put(key, new Lease(owner, until));
        return true;
    }

    @Override
    public synchronized void releaseLease(String key, String owner) {
        Lease l = leases.get(key);
        if (l != null && l.owner().equals(owner)) {
            leases.remove(key);
        }
    }
}
