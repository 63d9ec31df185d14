package dev.latchkey.app.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;
import dev.latchkey.domain.secret.Secret;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks signatures ({@code v1}: HMAC-SHA256 of {@code id.timestamp.body}), made by the
 * {@code com.standardwebhooks} library the receivers verify with. During a rotation both secrets sign, the header
 * holding both signatures separated by a space.
 */
final class WebhookSignature {

    static final String SECRET_PREFIX = "whsec_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {}

    /** A new signing secret: {@code whsec_} and the Base64 of 32 random bytes. */
    static Secret newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Secret.of(SECRET_PREFIX + Base64.getEncoder().encodeToString(key));
    }

    /** The {@code webhook-signature} header: one {@code v1,<base64>} per secret, space separated. */
    static String header(List<Secret> secrets, String webhookId, long timestampSeconds, String body) {
        List<String> signatures = new ArrayList<>(secrets.size());
        for (Secret secret : secrets) {
            try {
                signatures.add(new Webhook(secret.reveal()).sign(webhookId, timestampSeconds, body));
            } catch (WebhookSigningException | RuntimeException e) {
                // deliberately without the cause: it could quote the key
                throw new IllegalStateException("signing webhook " + webhookId + " failed");
            }
        }
        return String.join(" ", signatures);
    }
}
