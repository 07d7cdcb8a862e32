package dev.workcell.controlplane.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made at test time with the JDK's keytool (nothing secret is committed):
 * a CA, and PKCS#12 key stores of certificates it signed, for the server (localhost, 127.0.0.1)
 * and for clients.
 */
public final class TestCertificates {

    public static final String PASSWORD = "test-only";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A new CA in a new directory. */
    public static TestCertificates create() {
        try {
            TestCertificates certificates = new TestCertificates(Files.createTempDirectory("workcell-test-ca"));
            certificates.keytool(
                    "-genkeypair",
                    "-alias",
                    "ca",
                    "-dname",
                    "CN=workcell test CA",
                    "-ext",
                    "bc:c",
                    "-keyalg",
                    "EC",
                    "-validity",
                    "2",
                    "-keystore",
                    "ca.p12");
            certificates.keytool("-exportcert", "-alias", "ca", "-rfc", "-keystore", "ca.p12", "-file", "ca.crt");
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CA certificate, PEM. */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /** A key store holding a key and its certificate signed by the CA, for these subject alternative names. */
    public Path keyStore(String name, String subjectAlternativeNames) {
        String store = name + ".p12";
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-dname",
                "CN=" + name,
                "-keyalg",
                "EC",
                "-validity",
                "2",
                "-keystore",
                store);
        keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
        List<String> sign = new ArrayList<>(List.of(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                "ca.p12",
                "-infile",
                name + ".csr",
                "-outfile",
                name + ".crt",
                "-rfc",
                "-validity",
                "2"));
        if (!subjectAlternativeNames.isEmpty()) {
            sign.addAll(List.of("-ext", "SAN=" + subjectAlternativeNames));
        }
        keytool(sign.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt", "-keystore", store);
        keytool("-importcert", "-alias", name, "-file", name + ".crt", "-keystore", store);
        return dir.resolve(store);
    }

    /** The certificate of a key store made by {@link #keyStore}, PEM. */
    public Path certificate(String name) {
        return dir.resolve(name + ".crt");
    }

    /** The private key of a key store made by {@link #keyStore}, as a PKCS#8 PEM file (what gRPC's Netty client reads). */
    public Path privateKey(String name) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
                store.load(in, PASSWORD.toCharArray());
            }
            byte[] pkcs8 = store.getKey(name, PASSWORD.toCharArray()).getEncoded();
            Path pem = dir.resolve(name + ".key");
            Files.writeString(
                    pem,
                    "-----BEGIN PRIVATE KEY-----\n"
                            + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                                    .encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
            return pem;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS for a Java client: trusts the CA, and presents the key store's certificate if one is given. */
    public SSLContext clientContext(Path keyStore) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (InputStream ca = Files.newInputStream(caCertificate())) {
                trusted.setCertificateEntry(
                        "ca",
                        java.security.cert.CertificateFactory.getInstance("X.509")
                                .generateCertificate(ca));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            KeyManagerFactory keys = null;
            if (keyStore != null) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(keyStore)) {
                    own.load(in, PASSWORD.toCharArray());
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(own, PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storepass", PASSWORD, "-storetype", "PKCS12"));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
