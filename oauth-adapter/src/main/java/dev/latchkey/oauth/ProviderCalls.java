package dev.latchkey.oauth;

import com.github.scribejava.core.model.OAuthRequest;
import dev.latchkey.oauth.http.ProviderResponse;
import java.io.IOException;
import java.util.concurrent.ExecutionException;

/** Sends a request built by a ScribeJava service and reads the answer with the body capped. */
final class ProviderCalls {

    private final int maxBodyBytes;

    ProviderCalls(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * @throws Exception an {@link IOException} (network, timeout, refused endpoint, body too large), an
     *     {@link InterruptedException}, or whatever ScribeJava's client lets through: callers classify it
     */
    ProviderResponse send(ProviderOAuth20Service service, OAuthRequest request) throws Exception {
        try {
            return ProviderResponse.read(service.execute(request), maxBodyBytes);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
