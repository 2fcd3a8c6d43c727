package io.nettyvirtual.testing.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.nettyvirtual.network.link.LinkConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

class FaultScheduleTest {
    private static Duration ms(long m) {
        return Duration.ofMillis(m);
    }

    @Test
    void jqwikShrinksAFailingScheduleToOneMinimalFault() {
        FragileDelivery.FALSIFIED.clear();
        EngineExecutionResults results = EngineTestKit.engine("jqwik")
                .selectors(selectClass(FragileDelivery.class))
                .execute();
        results.testEvents().assertStatistics(s -> s.failed(1));
        assertTrue(FragileDelivery.FALSIFIED.size() > 1, "jqwik tried no shrinking");
        List<FaultSchedule> tried = FragileDelivery.FALSIFIED;
        FaultSchedule shrunk = tried.get(tried.size() - 1);
        assertTrue(tried.get(0).faults().size() > 1, "the first failing sample " + tried.get(0));
        assertEquals(1, shrunk.faults().size(), "shrunk to " + shrunk);
        FaultSchedule.Fault fault = shrunk.faults().get(0);
        assertFalse(fault instanceof FaultSchedule.RateChange, "a rate change alone loses nothing: " + shrunk);

        // minimal: without the fault, or with it 1 ms shorter, every datagram arrives
        assertEquals(FragileDelivery.DATAGRAMS, FragileDelivery.delivered(shrunk.without(0)));
        long length = fault.endNanos() - fault.atNanos();
        if (length > 1_000_000) {
            FaultSchedule.Fault shorter = fault instanceof FaultSchedule.Flap
                    ? new FaultSchedule.Flap(Duration.ofNanos(fault.atNanos()), Duration.ofNanos(length - 1_000_000))
                    : new FaultSchedule.LossBurst(
                            Duration.ofNanos(fault.atNanos()),
                            Duration.ofNanos(length - 1_000_000),
                            ((FaultSchedule.LossBurst) fault).loss());
            assertEquals(
                    FragileDelivery.DATAGRAMS,
                    FragileDelivery.delivered(FaultSchedule.of(shorter)),
                    "1 ms shorter than " + shrunk);
        }
        assertTrue(FragileDelivery.delivered(shrunk) < FragileDelivery.DATAGRAMS);

        Throwable reported = results.testEvents()
                .failed()
                .list()
                .get(0)
                .getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
        assertTrue(String.valueOf(reported.getMessage()).contains(shrunk.toString()), reported.getMessage());
    }

    @Test
    void aFlapDropsWhatEntersWhileTheLinkIsDownAndOnlyThat() {
        // sends at 5, 15, 25, ... ms; down over [14, 26) catches the ones sent at 15 and 25
        assertEquals(
                FragileDelivery.DATAGRAMS - 2,
                FragileDelivery.delivered(FaultSchedule.of(new FaultSchedule.Flap(ms(14), ms(12)))));
        assertEquals(
                FragileDelivery.DATAGRAMS,
                FragileDelivery.delivered(FaultSchedule.of(new FaultSchedule.Flap(ms(6), ms(8)))));
    }

    @Test
    void aTotalLossBurstLosesWhatCrossesItAndTheLinkRecoversAfter() {
        assertEquals(
                FragileDelivery.DATAGRAMS - 3,
                FragileDelivery.delivered(FaultSchedule.of(new FaultSchedule.LossBurst(ms(100), ms(30), 1.0))));
    }

    @Test
    void theStateAtAnInstantCombinesTheFaultsInProgress() {
        FaultSchedule s = FaultSchedule.of(
                new FaultSchedule.LossBurst(ms(0), ms(10), 0.2),
                new FaultSchedule.LossBurst(ms(5), ms(10), 0.5),
                new FaultSchedule.Flap(ms(8), ms(1)),
                new FaultSchedule.RateChange(ms(3), 8_000),
                new FaultSchedule.RateChange(ms(12), 16_000));
        LinkConfig base = LinkConfig.ideal().loss(0.01);
        assertEquals(
                "loss 0.2, down false, 0 B/s", s.stateAt(ms(1).toNanos(), base).toString());
        assertEquals(
                "loss 0.5, down true, 1000 B/s",
                s.stateAt(ms(8).toNanos(), base).toString());
        assertEquals(
                "loss 0.5, down false, 2000 B/s",
                s.stateAt(ms(12).toNanos(), base).toString());
        assertEquals(
                "loss 0.01, down false, 2000 B/s",
                s.stateAt(ms(15).toNanos(), base).toString());
        assertEquals(
                "[loss 20.0% for 10 ms at 0 ms, loss 50.0% for 10 ms at 5 ms, down for 1 ms at 8 ms, "
                        + "rate 8000 bit/s at 3 ms, rate 16000 bit/s at 12 ms]",
                s.toString());
    }

    @Test
    void badFaultsAreRejectedNamingTheValue() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new FaultSchedule.LossBurst(ms(0), ms(1), 1.5));
        assertTrue(e.getMessage().contains("loss: 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FaultSchedule.Flap(ms(-1), ms(1)));
        assertTrue(e.getMessage().contains("at: PT-0.001S"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FaultSchedule.Flap(ms(0), Duration.ZERO));
        assertTrue(e.getMessage().contains("length: PT0S (expected > 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new FaultSchedule.RateChange(ms(0), 7));
        assertTrue(e.getMessage().contains("bitsPerSecond: 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FaultSchedules.schedules(Duration.ofNanos(10)));
        assertTrue(e.getMessage().contains("horizon: PT0.00000001S"), e.getMessage());
        assertThrows(NullPointerException.class, () -> FaultSchedule.of(new FaultSchedule.Fault[] {null}));
        assertInstanceOf(FaultSchedule.class, FaultSchedule.none());
    }
}
