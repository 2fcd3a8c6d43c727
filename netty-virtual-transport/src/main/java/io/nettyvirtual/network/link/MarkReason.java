package io.nettyvirtual.network.link;

/** Why a queue discipline marked a packet Congestion Experienced instead of dropping it (RFC 3168, RFC 9332). */
public enum MarkReason {
    /** The AQM's control law or drop probability chose the packet: RED early, CoDel, DualPI2's classic p_C. */
    AQM,
    /** RED's average queue was above its upper threshold (a forced mark, where non-ECN traffic is dropped). */
    FORCED,
    /** DualPI2's L4S queue: its native AQM (the ramp, or the step) on the packet's own sojourn time. */
    NATIVE_L4S,
    /** DualPI2's L4S queue: the probability coupled from the classic queue's PI2 controller, p_CL = k p'. */
    COUPLED,
    /**
     * FQ-CoDel's {@code ce_threshold}: an ECN-capable packet left after waiting longer than the threshold (counted
     * also when CoDel's control law marked the same packet, as Linux's {@code ce_mark}).
     */
    CE_THRESHOLD
}
