package io.waybill.modelserver.ets;

/**
 * Not a test: prints the average wall time of Ets.auto() on AirPassengers (15 candidate forms, 144 monthly points)
 * after a warm-up. Run after test-compile:
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.waybill.modelserver.ets.EtsFitTiming}
 */
public final class EtsFitTiming {

    private EtsFitTiming() {
    }

    public static void main(String[] args) {
        RFixture s = RFixture.load(args.length > 0 ? args[0] : "AirPassengers");
        int warm = 20;
        int runs = 50;
        String model = "";
        for (int i = 0; i < warm; i++) {
            model = Ets.auto().fit(s.y(), s.period()).model();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            model = Ets.auto().fit(s.y(), s.period()).model();
        }
        double ms = (System.nanoTime() - t0) / 1e6 / runs;
        System.out.printf("%s: Ets.auto() -> %s, %.1f ms per fit (avg of %d after %d warm-up); R ets() took %.0f ms%n",
            s.name(), model, ms, runs, warm, s.autoSeconds() * 1000);
    }
}
