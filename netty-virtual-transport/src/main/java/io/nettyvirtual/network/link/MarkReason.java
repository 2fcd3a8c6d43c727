package io.nettyvirtual.network.link;

/** Why a queue discipline marked a packet Congestion Experienced instead of dropping it (RFC 3168, RFC 9332). */
public enum MarkReason {
    /** The AQM's control law or drop probability chose the packet: RED early, CoDel, PI2 (classic and coupled). */
    AQM,
    /** RED's average queue was above its upper threshold (a forced mark, where non-ECN traffic is dropped). */
    FORCED,
    /** An L4S packet found its queue's sojourn time above the step threshold (DualPI2). */
    STEP
}
