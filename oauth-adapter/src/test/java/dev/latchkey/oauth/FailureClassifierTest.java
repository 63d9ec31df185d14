package dev.latchkey.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.domain.provider.ExchangeFailure.ClientMisconfigured;
import dev.latchkey.domain.provider.ExchangeFailure.GrantRevoked;
import dev.latchkey.domain.provider.ExchangeFailure.Transient;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FailureClassifierTest {

    @ParameterizedTest
    @ValueSource(strings = {"invalid_grant", "invalid_refresh_token", "token_revoked", "bad_verification_code"})
    void deadGrantCodesAreGrantRevoked(String code) {
        assertThat(FailureClassifier.fromErrorCode(code, null)).isEqualTo(new GrantRevoked(code));
    }

    @ParameterizedTest
    @ValueSource(strings = {"invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope"})
    void clientCodesAreClientMisconfigured(String code) {
        assertThat(FailureClassifier.fromErrorCode(code, null)).isEqualTo(new ClientMisconfigured(code));
    }

    @Test
    void unknownAndTemporaryCodesAreTransientWithTheirRetryAfter() {
        assertThat(FailureClassifier.fromErrorCode("temporarily_unavailable", Duration.ofSeconds(30)))
                .isEqualTo(new Transient("temporarily_unavailable", Duration.ofSeconds(30)));
        assertThat(FailureClassifier.fromErrorCode("ratelimited", null)).isEqualTo(new Transient("ratelimited", null));
    }

    @Test
    void somethingThatIsNoErrorCodeIsNotRepeated() {
        assertThat(FailureClassifier.fromErrorCode("token abc123 expired at noon", null)
                        .reason())
                .isEqualTo("unrecognised-error");
        assertThat(FailureClassifier.fromErrorCode("x".repeat(65), null).reason())
                .isEqualTo("unrecognised-error");
    }

    @Test
    void networkFailuresAreTransientWithAShortReasonAndNeverTheirMessage() {
        assertThat(FailureClassifier.fromException(new SocketTimeoutException("Read timed out")))
                .isEqualTo(new Transient("timeout", null));
        assertThat(FailureClassifier.fromException(new InterruptedIOException("timeout")))
                .isEqualTo(new Transient("timeout", null));
        assertThat(FailureClassifier.fromException(new ConnectException("Failed to connect to /127.0.0.1:1")))
                .isEqualTo(new Transient("connection-refused", null));
        assertThat(FailureClassifier.fromException(new UnknownHostException("provider.example")))
                .isEqualTo(new Transient("unknown-host", null));
        assertThat(FailureClassifier.fromException(new SSLHandshakeException("PKIX path building failed")))
                .isEqualTo(new Transient("tls-error", null));
        assertThat(FailureClassifier.fromException(new IOException("unexpected end of stream")))
                .isEqualTo(new Transient("io-error", null));
        assertThat(FailureClassifier.fromException(new IllegalStateException("anything")))
                .isEqualTo(new Transient("client-error", null));
    }

    @Test
    void anInterruptedCallKeepsTheInterruptFlag() {
        try {
            Thread.currentThread().interrupt();
            assertThat(FailureClassifier.fromException(new InterruptedIOException()))
                    .isEqualTo(new Transient("interrupted", null));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(FailureClassifier.fromException(new InterruptedException()))
                .isEqualTo(new Transient("interrupted", null));
        assertThat(Thread.interrupted()).isTrue();
    }
}
