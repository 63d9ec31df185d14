package dev.latchkey.oauth;

import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ExchangeFailure.ClientMisconfigured;
import dev.latchkey.domain.provider.ExchangeFailure.GrantRevoked;
import dev.latchkey.domain.provider.ExchangeFailure.Transient;
import dev.latchkey.oauth.http.AddressGuard.RefusedAddressException;
import dev.latchkey.oauth.http.EndpointGuard.RefusedEndpointException;
import dev.latchkey.oauth.http.ProviderResponse.BodyTooLargeException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Sorts what went wrong into the three things a caller can do about it (DESIGN.md, "Refresh"). A reason is an OAuth
 * error code or a short classification: never a provider body or an exception message, which may echo secrets.
 */
final class FailureClassifier {

    /** Error codes meaning the grant is dead; the non-standard ones are Slack's and GitHub's spellings. */
    private static final Set<String> GRANT_DEAD = Set.of(
            "invalid_grant",
            "invalid_refresh_token",
            "invalid_code",
            "bad_verification_code",
            "bad_refresh_token",
            "token_revoked",
            "token_expired",
            "expired_token");

    /** Error codes meaning the application's OAuth client or manifest is wrong: no retry and no reconnect will help. */
    private static final Set<String> CLIENT_WRONG = Set.of(
            "invalid_client",
            "unauthorized_client",
            "invalid_request",
            "unsupported_grant_type",
            "invalid_scope",
            "invalid_client_id",
            "bad_client_secret",
            "incorrect_client_credentials",
            "redirect_uri_mismatch");

    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    private FailureClassifier() {}

    static ExchangeFailure fromErrorCode(String code, Duration retryAfter) {
        if (code == null || !ERROR_CODE.matcher(code).matches()) {
            return new Transient("unrecognised-error", retryAfter);
        }
        if (GRANT_DEAD.contains(code)) {
            return new GrantRevoked(code);
        }
        if (CLIENT_WRONG.contains(code)) {
            return new ClientMisconfigured(code);
        }
        // temporarily_unavailable, server_error and anything unknown: keep the connection, try again later
        return new Transient(code, retryAfter);
    }

    /** A status that says enough before the body is looked at; null when the body decides. */
    static ExchangeFailure fromStatus(int status, Duration retryAfter) {
        if (status >= 300 && status < 400) {
            return new Transient("redirect", retryAfter);
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return new Transient("http-" + status, retryAfter);
        }
        return null;
    }

    static ExchangeFailure fromException(Throwable failure) {
        if (failure instanceof RefusedEndpointException refused) {
            return new ClientMisconfigured(refused.reason());
        }
        if (failure instanceof RefusedAddressException) {
            return new ClientMisconfigured("address-not-allowed");
        }
        if (failure instanceof BodyTooLargeException) {
            return new Transient("body-too-large", null);
        }
        if (failure instanceof InterruptedIOException || failure instanceof InterruptedException) {
            if (failure instanceof InterruptedException
                    || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
                return new Transient("interrupted", null);
            }
            return new Transient("timeout", null);
        }
        if (failure instanceof ConnectException || failure instanceof NoRouteToHostException) {
            return new Transient("connection-refused", null);
        }
        if (failure instanceof UnknownHostException) {
            return new Transient("unknown-host", null);
        }
        if (failure instanceof SSLException) {
            return new Transient("tls-error", null);
        }
        if (failure instanceof java.io.IOException) {
            return new Transient("io-error", null);
        }
        return new Transient("client-error", null);
    }
}
