/**
 * Property-based fault schedules with jqwik: {@link io.nettyvirtual.testing.faults.FaultSchedules} generates
 * schedules of loss bursts, link flaps and rate changes, {@link io.nettyvirtual.testing.faults.FaultSchedule}
 * applies one to a link over virtual time. Needs {@code net.jqwik:jqwik} on the test class path.
 */
package io.nettyvirtual.testing.faults;
