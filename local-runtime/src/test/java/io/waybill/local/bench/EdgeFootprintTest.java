package io.waybill.local.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EdgeFootprintTest {

    @Test
    void gcLogGivesLargestLiveSetAndHeapSize(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        Files.writeString(log, """
                [0.004s][info][gc] Using Serial
                [0.912s][info][gc] GC(0) Pause Young (Allocation Failure) 12M->3M(46M) 4.120ms
                [1.433s][info][gc] GC(1) Pause Young (Allocation Failure) 15M->8M(46M) 2.001ms
                [1.900s][info][gc] GC(2) Pause Full (System.gc()) 9M->2048K(20M) 9.5ms
                """);

        long[] gc = EdgeFootprint.parseGcLog(log);

        assertThat(gc[0]).isEqualTo(8L * 1024 * 1024);
        assertThat(gc[1]).isEqualTo(46L * 1024 * 1024);
        assertThat(gc[2]).isEqualTo(3);
    }

    @Test
    void gnuTimeAndBashTimesAreBothRead() {
        double[] gnu = EdgeFootprint.parseTime("1.12 0.10 93380\n", true);
        assertThat(gnu[0] + gnu[1]).isCloseTo(1.22, within(1e-9));
        assertThat(gnu[2]).isEqualTo(93380);

        double[] bash = EdgeFootprint.parseTime("0m0.001s 0m0.002s\n1m2.500s 0m0.250s\n", false);
        assertThat(bash[0]).isCloseTo(62.5, within(1e-9));
        assertThat(bash[1]).isCloseTo(0.25, within(1e-9));
        assertThat(bash[2]).isZero();
    }
}
