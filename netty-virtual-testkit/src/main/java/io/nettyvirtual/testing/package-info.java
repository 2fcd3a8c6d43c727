/**
 * Fixtures for tests and demos of code on a virtual network: {@link io.nettyvirtual.testing.TwoHosts} (the
 * smallest topology), {@link io.nettyvirtual.testing.Recorder} and {@link io.nettyvirtual.testing.Echo} handlers,
 * {@link io.nettyvirtual.testing.Nets} (binding and datagram helpers) and
 * {@link io.nettyvirtual.testing.LeakCheck}, a JUnit extension that fails a test when Netty's leak detector reports
 * a leaked buffer.
 */
package io.nettyvirtual.testing;
