package io.nettyvirtual;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.netty.channel.ChannelFuture;

/**
 * The layering of {@code docs/architecture.md}, checked on the compiled main classes: a packet's path reads from the
 * top down (channel, façade, network elements, link stages) over the packet, the counters and the engine, and
 * nothing imports upwards. A change that makes a lower layer reach up fails here with the offending dependency named.
 */
@AnalyzeClasses(
        packages = "io.nettyvirtual",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("io.nettyvirtual.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInAnyPackage("io.nettyvirtual..")
            .layer("Trace")
            .definedBy("io.nettyvirtual.trace..")
            .layer("Channel")
            .definedBy("io.nettyvirtual.channel..")
            .layer("Facade")
            .definedBy("io.nettyvirtual")
            .layer("Network")
            .definedBy("io.nettyvirtual.network")
            .layer("Link")
            .definedBy("io.nettyvirtual.network.link..")
            .layer("Decisions")
            .definedBy(
                    "io.nettyvirtual.network.route..",
                    "io.nettyvirtual.network.nat..",
                    "io.nettyvirtual.network.firewall..")
            .layer("Capture")
            .definedBy("io.nettyvirtual.capture..")
            .layer("Stats")
            .definedBy("io.nettyvirtual.stats..")
            .layer("Packet")
            .definedBy("io.nettyvirtual.packet..")
            .layer("Engine")
            .definedBy("io.nettyvirtual.engine..")
            .layer("Time")
            .definedBy("io.nettyvirtual.time..")
            .whereLayer("Trace")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Channel")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Facade")
            .mayOnlyBeAccessedByLayers("Channel", "Trace")
            .whereLayer("Network")
            .mayOnlyBeAccessedByLayers("Channel", "Facade")
            .whereLayer("Link")
            .mayOnlyBeAccessedByLayers("Channel", "Facade", "Network")
            .whereLayer("Decisions")
            .mayOnlyBeAccessedByLayers("Facade", "Network")
            .whereLayer("Capture")
            .mayOnlyBeAccessedByLayers("Channel", "Facade", "Network")
            .whereLayer("Stats")
            .mayOnlyBeAccessedByLayers("Channel", "Facade", "Network", "Link", "Capture", "Trace")
            .whereLayer("Packet")
            .mayOnlyBeAccessedByLayers("Channel", "Facade", "Network", "Link", "Capture", "Stats", "Trace")
            .whereLayer("Engine")
            .mayOnlyBeAccessedByLayers("Channel", "Facade", "Network", "Link")
            .whereLayer("Time")
            .mayOnlyBeAccessedByLayers("Channel", "Facade", "Network", "Link", "Engine");

    /** The model is Netty-free above buffers: what a packet meets in the network knows no channel or bootstrap. */
    @ArchTest
    static final ArchRule theModelKnowsNoNettyChannel = noClasses()
            .that()
            .resideInAnyPackage(
                    "io.nettyvirtual.network..",
                    "io.nettyvirtual.packet..",
                    "io.nettyvirtual.stats..",
                    "io.nettyvirtual.engine..",
                    "io.nettyvirtual.time..",
                    "io.nettyvirtual.capture..",
                    "io.nettyvirtual.trace..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.netty.channel..", "io.netty.bootstrap..");

    /** The façade names one Netty channel type, for {@code runUntil(ChannelFuture)}, and builds no channel. */
    @ArchTest
    static final ArchRule theFacadeNamesOnlyChannelFuture = noClasses()
            .that()
            .resideInAPackage("io.nettyvirtual")
            .should()
            .dependOnClassesThat(resideInAnyPackage("io.netty.channel..", "io.netty.bootstrap..")
                    .and(not(equivalentTo(ChannelFuture.class))));

    /** The engine and the clock know nothing of the network they drive. */
    @ArchTest
    static final ArchRule theEngineKnowsNoNetwork = noClasses()
            .that()
            .resideInAnyPackage("io.nettyvirtual.engine..", "io.nettyvirtual.time..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.nettyvirtual.network..", "io.nettyvirtual.packet..", "io.nettyvirtual.channel..");
}
