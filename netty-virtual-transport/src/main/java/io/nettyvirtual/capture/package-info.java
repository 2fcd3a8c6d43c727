/**
 * Packet capture files of a virtual network: {@link io.nettyvirtual.capture.PcapWriter} (pcap with nanosecond
 * timestamps) and {@link io.nettyvirtual.capture.PcapNgWriter} (pcapng, several interfaces, a comment per packet).
 *
 * <p>Each record is a real IPv4 or IPv6 packet with a UDP header, built from the datagram's addresses and payload,
 * with correct checksums, so that Wireshark and {@code tshark} decode the payload as they would from a real
 * interface (QUIC, DNS, RTP...). Every record carries the virtual time the caller gives, in nanoseconds: a
 * capture of a simulated network shows the network's clock, never the wall clock. A writer only observes a
 * datagram: it neither retains nor releases its payload and leaves its indexes untouched.
 *
 * <p>The writers do not know the network's internals: whatever sees a packet (a tap on a link, a port or a host,
 * or a test's handler) hands it to a writer with the time, and dropped packets with their
 * {@link io.nettyvirtual.stats.DropReason}.
 */
package io.nettyvirtual.capture;
