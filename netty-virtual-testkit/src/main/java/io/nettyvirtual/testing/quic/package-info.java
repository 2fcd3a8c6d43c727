/**
 * QUIC fixtures, for code that has Netty's QUIC codec and {@code netty-pkitesting} on its class path: one codec
 * set-up ({@link io.nettyvirtual.testing.quic.QuicCodecs}) with its certificates
 * ({@link io.nettyvirtual.testing.quic.TestCertificates}), a stream service that echoes or serves downloads
 * ({@link io.nettyvirtual.testing.quic.FileService}) of a reproducible byte stream
 * ({@link io.nettyvirtual.testing.quic.Payload}), and the client side that checks them
 * ({@link io.nettyvirtual.testing.quic.Receiver}).
 */
package io.nettyvirtual.testing.quic;
