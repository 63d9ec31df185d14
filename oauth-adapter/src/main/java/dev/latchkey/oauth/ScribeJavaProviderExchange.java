package dev.latchkey.oauth;

import com.github.scribejava.core.model.OAuthRequest;
import com.github.scribejava.httpclient.okhttp.OkHttpHttpClient;
import dev.latchkey.domain.provider.ExchangeFailure;
import dev.latchkey.domain.provider.ExchangeResult;
import dev.latchkey.domain.provider.ProviderClient;
import dev.latchkey.domain.provider.ProviderExchange;
import dev.latchkey.domain.provider.RevocationResult;
import dev.latchkey.domain.secret.Secret;
import dev.latchkey.oauth.http.ProviderHttpClients;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider port on ScribeJava 8.3.3 over OkHttp. ScribeJava builds the requests (one service per
 * {@link ProviderClient}, cached); this class sends them through one shared, guarded OkHttp client and reads the
 * answers itself, so that nothing of a provider's body reaches a log line or an exception. Safe for many threads.
 */
public final class ScribeJavaProviderExchange implements ProviderExchange, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScribeJavaProviderExchange.class);

    private final OkHttpClient http;
    private final ProviderServiceCache services;
    private final ProviderCalls calls;
    private final TokenResponseParser tokenResponses;
    private final AuthorizationUrlBuilder authorizationUrls = new AuthorizationUrlBuilder();
    private final TokenRevoker revoker;
    private final HandleLookup handles;

    public ScribeJavaProviderExchange(ProviderExchangeSettings settings) {
        this(settings, Clock.systemUTC());
    }

    ScribeJavaProviderExchange(ProviderExchangeSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        this.http = ProviderHttpClients.create(
                settings.connectTimeout(),
                settings.readTimeout(),
                settings.callTimeout(),
                settings.allowInsecureLoopback());
        OkHttpHttpClient scribeHttp = new OkHttpHttpClient(http);
        this.services = new ProviderServiceCache(
                ProviderServiceCache.DEFAULT_MAX_ENTRIES, client -> new ProviderOAuth20Service(client, scribeHttp));
        this.calls = new ProviderCalls(settings.maxBodyBytes());
        this.tokenResponses = new TokenResponseParser(clock);
        this.revoker = new TokenRevoker(calls, tokenResponses);
        this.handles = new HandleLookup(calls, tokenResponses);
    }

    @Override
    public URI authorizationUrl(ProviderClient client, Secret state, Secret codeVerifier) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(state, "state");
        return authorizationUrls.build(client, state, codeVerifier);
    }

    @Override
    public ExchangeResult exchangeCode(ProviderClient client, Secret code, Secret codeVerifier) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(code, "code");
        return tokenRequest("code exchange", client, service -> service.codeExchangeRequest(code, codeVerifier));
    }

    @Override
    public ExchangeResult refresh(ProviderClient client, Secret refreshToken, List<String> scopes) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(refreshToken, "refreshToken");
        return tokenRequest("refresh", client, service -> service.refreshRequest(refreshToken, scopes));
    }

    @Override
    public RevocationResult revoke(ProviderClient client, Secret refreshToken, Secret accessToken) {
        return revoker.revoke(client, services.serviceFor(client), refreshToken, accessToken);
    }

    @Override
    public Optional<String> fetchHandle(ProviderClient client, Secret accessToken) {
        return handles.fetch(client, services.serviceFor(client), accessToken);
    }

    private ExchangeResult tokenRequest(
            String what, ProviderClient client, Function<ProviderOAuth20Service, OAuthRequest> request) {
        ExchangeResult result;
        try {
            ProviderOAuth20Service service = services.serviceFor(client);
            result = tokenResponses.parse(
                    calls.send(service, request.apply(service)),
                    client.provider().oauth());
        } catch (Exception e) {
            result = FailureClassifier.fromException(e);
        }
        if (result instanceof ExchangeFailure failure) {
            log.warn("{} at {} failed: {} ({})", what, client, failure.kind().wire(), failure.reason());
        } else {
            log.debug("{} at {} succeeded", what, client);
        }
        return result;
    }

    /** Drops pooled connections and stops OkHttp's threads. */
    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
