package io.waybill.local.provenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.provenance.DynamoDbAnchorLedger;
import io.waybill.aws.provenance.DynamoDbEventProofs;
import io.waybill.domain.provenance.AnchorBatchPolicy;
import io.waybill.domain.provenance.AnchorCandidate;
import io.waybill.domain.provenance.AnchorRun;
import io.waybill.domain.provenance.AnchorRunSettings;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.ProvenanceSelection;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalEthereum;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node down for a minute, on the real anvil: the engine reaches anvil only through a TCP forwarder written here,
 * which is shut (connections refused, open ones cut) for 60 s while events are queued and their batches fall due.
 * Every pass in that minute reports NODE_UNAVAILABLE and nothing reaches the chain (read directly from anvil, around
 * the forwarder); reopened, every event is anchored and each root has exactly one {@code Anchored} log.
 */
@Timeout(240)
class NodeOutageOnAnvilTest {
    private static final String CUSTODY = "waybill.custody.transferred.v1";
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static LocalAwsStack stack;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createTable(DynamoDbAnchorLedger.definition("outage-ledger"));
        StackResources.using(stack.clients()).createTable(DynamoDbEventProofs.definition("outage-proofs"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** A TCP forwarder from a loopback port to anvil that can be shut (refusing and cutting) and opened again. */
    static final class Forwarder implements AutoCloseable {
        private final InetSocketAddress target;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile ServerSocket server;
        private Thread acceptor;
        private int port;

        Forwarder(URI target) {
            this.target = new InetSocketAddress(target.getHost(), target.getPort());
        }

        synchronized void open() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            port = s.getLocalPort();
            server = s;
            Thread accept = new Thread(() -> {
                while (!s.isClosed()) {
                    try {
                        Socket client = s.accept();
                        Socket upstream = new Socket(target.getAddress(), target.getPort());
                        open.add(client);
                        open.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        return; // shut
                    }
                }
            }, "forwarder-accept");
            accept.setDaemon(true);
            accept.start();
            acceptor = accept;
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // cut
                } finally {
                    quietly(from);
                    quietly(to);
                }
            }, "forwarder-pump");
            t.setDaemon(true);
            t.start();
        }

        /**
         * Refuses new connections and cuts the open ones. Waits for the accepting thread to end: the JDK closes a
         * listening socket that a thread is blocked on only once that thread has woken up, and until then the kernel
         * still completes connections into its backlog.
         */
        synchronized void shut() {
            quietly(server);
            if (acceptor != null) {
                try {
                    acceptor.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (Socket s : open) {
                quietly(s);
            }
            open.clear();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port);
        }

        boolean accepts() {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static void quietly(AutoCloseable c) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // already closed
            }
        }

        @Override
        public void close() {
            shut();
        }
    }

    @Test
    void batchesWaitOutAMinuteWithoutTheNodeThenEveryEventIsAnchoredOnce() throws Exception {
        LocalEthereum direct = stack.ethereum();
        ChainWitness chain = new ChainWitness(direct);
        try (Forwarder forwarder = new Forwarder(direct.rpcUrl())) {
            forwarder.open();
            LocalEthereum behindForwarder = new LocalEthereum(forwarder.url(), direct.chainId(), direct.registry(),
                    direct.devSigner(), direct.deploymentGasUsed());
            try (LocalAnchoring anchoring = LocalAnchoring.start(behindForwarder, stack.clients().dynamoDb(),
                    "outage-ledger", "outage-proofs", ProvenanceSelection.defaults(),
                    new AnchorBatchPolicy(4, Duration.ofSeconds(2)), new AnchorRunSettings(1, Duration.ofSeconds(10),
                            15, AnchorRunSettings.DEFAULT_URI_BASE, Duration.ofSeconds(90)), null)) {
                assertThat(anchoring.chain().blockNumber()).as("the forwarder reaches anvil").isPositive();
                int logsBefore = chain.anchoredLogs().size();

                forwarder.shut();
                assertThat(forwarder.accepts()).as("the node is unreachable").isFalse();
                Instant outageStart = Instant.now();
                List<AnchorCandidate> events = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    ObjectNode event = ChainWitness.JSON.createObjectNode().put("id", "outage-" + i)
                            .put("type", CUSTODY).put("n", i);
                    AnchorCandidate c = new AnchorCandidate("outage-" + i, ChainWitness.eventHash(event), CUSTODY,
                            null, Instant.now());
                    assertThat(anchoring.ledger().enqueue(c)).isTrue();
                    events.add(c);
                }
                Map<AnchorRun.Outcome, Integer> during = new EnumMap<>(AnchorRun.Outcome.class);
                while (Duration.between(outageStart, Instant.now()).compareTo(OUTAGE) < 0) {
                    during.merge(anchoring.pass(), 1, Integer::sum);
                    Thread.sleep(1000);
                }
                System.out.println("passes during the " + OUTAGE.toSeconds() + " s outage: " + during);
                assertThat(during).containsOnlyKeys(AnchorRun.Outcome.NODE_UNAVAILABLE);
                assertThat(during.get(AnchorRun.Outcome.NODE_UNAVAILABLE)).isGreaterThanOrEqualTo(30);
                assertThat(chain.anchoredLogs()).as("nothing reached the chain").hasSize(logsBefore);
                assertThat(anchoring.awaitProofs(events.stream().map(AnchorCandidate::eventId).toList(),
                        Duration.ZERO)).isEmpty();

                forwarder.open();
                Instant back = Instant.now();
                List<String> ids = events.stream().map(AnchorCandidate::eventId).toList();
                List<EventProof> proofs = List.of();
                while (proofs.size() < events.size() && Duration.between(back, Instant.now()).toSeconds() < 60) {
                    anchoring.pass();
                    proofs = anchoring.awaitProofs(ids, Duration.ZERO);
                    Thread.sleep(250);
                }
                System.out.println("all anchored " + Duration.between(back, Instant.now()).toMillis()
                        + " ms after the node came back");
                assertThat(proofs).as("no event lost its anchor").hasSize(events.size());
                Set<String> roots = new LinkedHashSet<>();
                for (int i = 0; i < events.size(); i++) {
                    EventProof p = proofs.get(i);
                    assertThat(p.eventHash()).isEqualTo(events.get(i).eventHash());
                    assertThat(ChainWitness.leadsToRoot(p.eventHash(), p.proof(), p.root())).isTrue();
                    List<ChainWitness.AnchoredLog> logs = chain.anchoredLogs(p.root());
                    assertThat(logs).as("Anchored logs of %s", p.root()).hasSize(1);
                    assertThat(logs.get(0).tx()).isEqualToIgnoringCase(p.receipt().tx());
                    assertThat(chain.receipt(p.receipt().tx()).orElseThrow().succeeded()).isTrue();
                    roots.add(p.root());
                }
                // batches of 4: 10 events make 3 roots (4 + 4 + 2), the logs' counts adding up to 10
                assertThat(roots).hasSize(3);
                assertThat(chain.anchoredLogs()).hasSize(logsBefore + 3);
                assertThat(roots.stream().mapToLong(r -> chain.anchoredLogs(r).get(0).count()).sum())
                        .isEqualTo(10);
            }
        }
    }
}
