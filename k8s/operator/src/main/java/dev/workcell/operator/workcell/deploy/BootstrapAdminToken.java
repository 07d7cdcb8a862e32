package dev.workcell.operator.workcell.deploy;

import dev.workcell.operator.common.SecretKeyRef;
import dev.workcell.operator.workcell.BootstrapAdminTokenSpec;
import dev.workcell.operator.workcell.Workcell;
import dev.workcell.operator.workcell.WorkcellLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The bootstrap admin token Secret (README, Security: "First admin"). When the Secret a Workcell
 * names does not exist, the operator makes one with a fresh token: {@code wct_} and 256 random
 * bits, as the control plane's own secrets. The token is never logged; it is owned by the Workcell
 * and goes with it. A Secret the user made is never changed.
 */
public final class BootstrapAdminToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private BootstrapAdminToken() {}

    public static SecretKeyRef reference(Workcell workcell) {
        BootstrapAdminTokenSpec spec = workcell.getSpec().bootstrapAdminTokenOrDefault();
        return new SecretKeyRef(spec.secretNameFor(workcell.getMetadata().getName()), spec.keyOrDefault());
    }

    /** A new Secret holding a fresh token, owned by the Workcell. */
    public static Secret generate(Workcell workcell) {
        SecretKeyRef reference = reference(workcell);
        Secret secret = new SecretBuilder()
                .withMetadata(WorkcellLabels.metadata(workcell, reference.name()))
                .withType("Opaque")
                .addToData(
                        reference.key(),
                        Base64.getEncoder().encodeToString(token().getBytes(StandardCharsets.US_ASCII)))
                .build();
        secret.addOwnerReference(workcell);
        return secret;
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "wct_" + HexFormat.of().formatHex(bytes);
    }
}
