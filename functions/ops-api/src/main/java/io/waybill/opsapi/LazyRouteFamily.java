package io.waybill.opsapi;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A route family built on its first request. A cold start then pays only for the stores, table schemas and clients
 * the first request's family needs (a {@code GET /shipments} never builds the incident desk, the dead-letter desk's
 * normaliser or the Kinesis client). Built once, under a lock; a family whose construction throws is tried again on
 * the next request.
 */
final class LazyRouteFamily implements RouteFamily {
    private final String root;
    private final boolean anonymous;
    private final Supplier<? extends RouteFamily> build;
    private volatile RouteFamily family;

    private LazyRouteFamily(String root, boolean anonymous, Supplier<? extends RouteFamily> build) {
        this.root = Objects.requireNonNull(root, "root");
        this.anonymous = anonymous;
        this.build = Objects.requireNonNull(build, "build");
    }

    /** A family that needs a token. */
    static RouteFamily of(String root, Supplier<? extends RouteFamily> build) {
        return new LazyRouteFamily(root, false, build);
    }

    /** A family whose routes need no token ({@link RouteFamily#anonymous()}). */
    static RouteFamily anonymous(String root, Supplier<? extends RouteFamily> build) {
        return new LazyRouteFamily(root, true, build);
    }

    @Override
    public String root() {
        return root;
    }

    @Override
    public boolean anonymous() {
        return anonymous;
    }

    @Override
    public ApiResponse route(Call call) {
        return family().route(call);
    }

    /** @throws IllegalStateException when the built family answers another root or another anonymity */
    RouteFamily family() {
        RouteFamily f = family;
        if (f == null) {
            synchronized (this) {
                f = family;
                if (f == null) {
                    f = build.get();
                    if (!root.equals(f.root()) || anonymous != f.anonymous()) {
                        throw new IllegalStateException("the family built for /" + root + " answers /" + f.root()
                                + (anonymous != f.anonymous() ? " with another anonymity" : ""));
                    }
                    family = f;
                }
            }
        }
        return f;
    }

    /** A value built on first use, once (the shared stores of several lazy families). */
    static final class Once<T> implements Supplier<T> {
        private final Supplier<T> build;
        private volatile T value;

        Once(Supplier<T> build) {
            this.build = Objects.requireNonNull(build, "build");
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = Objects.requireNonNull(build.get(), "built value");
                        value = v;
                    }
                }
            }
            return v;
        }
    }
}
