package dev.workcell.cli.connect;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS for the REST client that trusts the certificates of a PEM file (a private CA) instead of the JVM's. */
final class Trust {

    private Trust() {}

    static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new CliException(ExitCodes.USAGE, "--ca " + pem + " holds no PEM certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read --ca " + pem + ": " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCodes.USAGE, "--ca " + pem + " is not a PEM certificate: " + e.getMessage());
        }
    }
}
