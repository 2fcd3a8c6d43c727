package io.nettyvirtual.testing.faults;

import static io.nettyvirtual.testing.Nets.addr;

import io.netty.channel.Channel;
import io.nettyvirtual.VirtualNetwork;
import io.nettyvirtual.channel.VirtualEventLoopGroup;
import io.nettyvirtual.network.Host;
import io.nettyvirtual.network.Wire;
import io.nettyvirtual.network.link.LinkConfig;
import io.nettyvirtual.testing.Nets;
import io.nettyvirtual.testing.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * A deliberately fragile property for {@link FaultScheduleTest}: twenty datagrams, one every 10 ms from 5 ms on,
 * over a 1 Mbit/s wire; it holds only if every one arrives, so any fault that touches one breaks it. Run through
 * jqwik's engine by the test (Surefire does not pick this class: it fails on purpose). After a failure jqwik would
 * first retry the shrunk sample it remembers; {@code PREVIOUS_SEED} makes every run generate and shrink anew.
 */
class FragileDelivery {
    static final int DATAGRAMS = 20;
    /** Every schedule that broke the property, in the order jqwik tried them: the last is the shrunk one. */
    static final List<FaultSchedule> FALSIFIED = Collections.synchronizedList(new ArrayList<>());

    @Property(
            seed = "4711",
            tries = 200,
            shrinking = ShrinkingMode.FULL,
            edgeCases = EdgeCasesMode.NONE,
            afterFailure = AfterFailureMode.PREVIOUS_SEED)
    boolean everyDatagramArrives(@ForAll("faults") FaultSchedule faults) {
        boolean holds = delivered(faults) == DATAGRAMS;
        if (!holds) {
            FALSIFIED.add(faults);
        }
        return holds;
    }

    @Provide
    Arbitrary<FaultSchedule> faults() {
        return FaultSchedules.schedules(Duration.ofMillis(200));
    }

    /** How many of the datagrams arrive under {@code faults} (seed 1, so loss draws are the same every run). */
    static int delivered(FaultSchedule faults) {
        try (VirtualNetwork net = VirtualNetwork.create(1)) {
            VirtualEventLoopGroup group = new VirtualEventLoopGroup(net, 1);
            Host a = net.newHost("a", "10.0.0.1"), b = net.newHost("b", "10.0.0.2");
            Wire wire =
                    net.newWire(a, b, LinkConfig.delayed(Duration.ofMillis(2)).bitsPerSecond(1_000_000));
            Recorder rec = new Recorder(net.clock());
            Nets.bind(net, group, addr("10.0.0.2", 7), rec);
            Channel sender = Nets.bind(net, group, addr("10.0.0.1", 9), new Recorder(net.clock()));
            faults.applyTo(net, wire);
            for (int i = 0; i < DATAGRAMS; i++) {
                sender.eventLoop()
                        .schedule(
                                () -> sender.writeAndFlush(Nets.sized(100, addr("10.0.0.2", 7))),
                                5 + 10 * i,
                                TimeUnit.MILLISECONDS);
            }
            net.runUntilIdle();
            return rec.count();
        }
    }
}
