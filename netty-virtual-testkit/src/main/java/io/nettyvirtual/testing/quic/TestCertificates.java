package io.nettyvirtual.testing.quic;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

/**
 * One test CA and a {@code localhost} server certificate per JVM, from {@code netty-pkitesting} (which, unlike
 * {@code SelfSignedCertificate}, needs no keytool and takes milliseconds), and the QUIC TLS contexts built on them.
 *
 * <p>The keys are RSA: an RSA signature has a fixed length, so every handshake's datagrams have the same sizes
 * and a seeded run on a rate-limited wire takes the same virtual time every time. An ECDSA signature's DER
 * encoding varies by a byte or two from one handshake to the next.
 */
public final class TestCertificates {

    private static X509Bundle root;
    private static X509Bundle leaf;

    private TestCertificates() {}

    private static synchronized void build() throws Exception {
        if (root == null) {
            root = new CertificateBuilder()
                    .subject("CN=netty-virtual test root")
                    .rsa2048()
                    .setIsCertificateAuthority(true)
                    .buildSelfSigned();
            leaf = new CertificateBuilder()
                    .subject("CN=localhost")
                    .addSanDnsName("localhost")
                    .rsa2048()
                    .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature)
                    .addExtendedKeyUsageServerAuth()
                    .buildIssuedBy(root);
        }
    }

    /** A server context for {@code localhost} offering {@code protocol}. */
    public static QuicSslContext server(String protocol) throws Exception {
        build();
        return QuicSslContextBuilder.forServer(leaf.getKeyPair().getPrivate(), null, leaf.getCertificatePath())
                .applicationProtocols(protocol)
                .build();
    }

    /**
     * A client context that trusts the test CA. The client checks the server's name: build its engines with
     * {@code context.newEngine(alloc, "localhost", 443)}.
     */
    public static QuicSslContext client(String protocol) throws Exception {
        build();
        return QuicSslContextBuilder.forClient()
                .trustManager(root.getCertificate())
                .applicationProtocols(protocol)
                .build();
    }
}
