package io.waybill.opsapi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A cold start builds only the family its first request needs, each family once however many requests race for it,
 * and a family built for another root is a wiring defect, not a silent misroute.
 */
class LazyRouteFamilyTest {
    private static final Map<String, String> READER = Map.of("sub", "u-1", "scope", "ops.read");

    private static RouteFamily answering(String root, String body) {
        return new RouteFamily() {
            @Override
            public String root() {
                return root;
            }

            @Override
            public ApiResponse route(Call call) {
                call.allow("GET", Caller.READ);
                return ApiResponse.json(200, "{\"from\":\"" + body + "\"}", Map.of());
            }
        };
    }

    private static ApiResponse get(OpsApi api, String path) {
        return api.handle(new ApiRequest("GET", path, "", Map.of(), null, READER, List.of()));
    }

    @Test
    void onlyTheFamilyOfTheRequestIsBuilt() {
        AtomicInteger shipmentsBuilt = new AtomicInteger();
        AtomicInteger incidentsBuilt = new AtomicInteger();
        OpsApi api = new OpsApi(List.of(
                LazyRouteFamily.of("shipments", () -> {
                    shipmentsBuilt.incrementAndGet();
                    return answering("shipments", "s");
                }),
                LazyRouteFamily.of("incidents", () -> {
                    incidentsBuilt.incrementAndGet();
                    return answering("incidents", "i");
                })));
        assertThat(shipmentsBuilt.get() + incidentsBuilt.get()).isZero();
        assertThat(get(api, "/shipments").body()).isEqualTo("{\"from\":\"s\"}");
        assertThat(get(api, "/shipments").body()).isEqualTo("{\"from\":\"s\"}");
        assertThat(shipmentsBuilt.get()).isEqualTo(1);
        assertThat(incidentsBuilt.get()).isZero();
    }

    @Test
    void concurrentFirstRequestsBuildTheFamilyOnce() throws Exception {
        AtomicInteger built = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        RouteFamily lazy = LazyRouteFamily.of("shipments", () -> {
            built.incrementAndGet();
            try {
                Thread.sleep(20); // widen the window in which a second builder could slip in
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answering("shipments", "s");
        });
        OpsApi api = new OpsApi(List.of(lazy));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ApiResponse>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return get(api, "/shipments");
                }));
            }
            start.countDown();
            for (Future<ApiResponse> a : answers) {
                assertThat(a.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(built.get()).isEqualTo(1);
    }

    @Test
    void aFamilyBuiltForAnotherRootIsRefused() {
        RouteFamily lazy = LazyRouteFamily.of("shipments", () -> answering("incidents", "i"));
        assertThatThrownBy(() -> ((LazyRouteFamily) lazy).family()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/incidents");
        // through the router it is a defect: a 500 problem, logged
        assertThat(get(new OpsApi(List.of(lazy)), "/shipments").status()).isEqualTo(500);
    }

    @Test
    void aSharedStoreIsBuiltOnceForEveryFamilyThatUsesIt() {
        AtomicInteger built = new AtomicInteger();
        LazyRouteFamily.Once<Object> store = new LazyRouteFamily.Once<>(() -> {
            built.incrementAndGet();
            return new Object();
        });
        Object first = store.get();
        assertThat(store.get()).isSameAs(first);
        assertThat(built.get()).isEqualTo(1);
    }

    @Test
    void underSnapStartEveryFamilyIsBuiltDuringInitAndOnDemandNone() {
        AtomicInteger built = new AtomicInteger();
        java.util.function.Supplier<OpsApi> api = () -> new OpsApi(List.of(
                LazyRouteFamily.of("shipments", () -> {
                    built.incrementAndGet();
                    return answering("shipments", "s");
                }),
                LazyRouteFamily.of("incidents", () -> {
                    built.incrementAndGet();
                    return answering("incidents", "i");
                }),
                answering("health", "h"))); // not lazy: nothing to build
        // Lambda's documented values of AWS_LAMBDA_INITIALIZATION_TYPE: on-demand, provisioned-concurrency, snap-start
        assertThat(OpsApiFunction.primeForSnapshot(api.get(), Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")))
                .isFalse();
        assertThat(OpsApiFunction.primeForSnapshot(api.get(), Map.of())).isFalse();
        assertThat(built.get()).isZero();
        OpsApi snapped = api.get();
        assertThat(OpsApiFunction.primeForSnapshot(snapped, Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")))
                .isTrue();
        assertThat(built.get()).isEqualTo(2);
        get(snapped, "/shipments");
        get(snapped, "/incidents");
        assertThat(built.get()).isEqualTo(2); // the requests found them built
        assertThat(OpsApiFunction.primeForSnapshot(api.get(),
                Map.of("AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency"))).isTrue();
        assertThat(built.get()).isEqualTo(4);
    }
}
