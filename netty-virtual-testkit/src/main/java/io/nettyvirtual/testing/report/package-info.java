/**
 * A run's report: {@link io.nettyvirtual.testing.report.NetworkRecorder} samples a network's links over virtual
 * time and writes one self-contained HTML page (uPlot inlined) with queue backlog, goodput, drops by reason and
 * the counters table. The JUnit extension writes one for a failing test when asked
 * ({@link io.nettyvirtual.testing.junit.VirtualNetworkTest#report()}).
 */
package io.nettyvirtual.testing.report;
