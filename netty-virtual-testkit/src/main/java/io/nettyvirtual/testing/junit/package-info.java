/**
 * JUnit 5 support: {@link io.nettyvirtual.testing.junit.VirtualNetworkTest} gives a test a fresh network by
 * parameter injection and checks it afterwards (leaks, conservation, optionally idleness), printing the seed and
 * the replay line on failure; {@link io.nettyvirtual.testing.junit.SeedSweep} runs a test over a range of seeds,
 * stopping at the first failing one. See {@code docs/testing.md}.
 */
package io.nettyvirtual.testing.junit;
