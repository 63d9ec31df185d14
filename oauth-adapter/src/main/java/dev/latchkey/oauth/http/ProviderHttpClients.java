package dev.latchkey.oauth.http;

import java.net.Proxy;
import okhttp3.OkHttpClient;

/** The one OkHttp client every provider call goes through, with the adapter's HTTP hygiene built in. */
public final class ProviderHttpClients {

    private ProviderHttpClients() {}

    public static OkHttpClient create(
            java.time.Duration connectTimeout,
            java.time.Duration readTimeout,
            java.time.Duration callTimeout,
            boolean allowInsecureLoopback) {
        AddressGuard addresses = new AddressGuard(allowInsecureLoopback);
        return new OkHttpClient.Builder()
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(callTimeout)
                // a token endpoint answering 302 must not have its target's body taken for tokens
                .followRedirects(false)
                .followSslRedirects(false)
                // a refresh sent twice could spend a rotated refresh token on an answer nobody reads
                .retryOnConnectionFailure(false)
                // a proxy would resolve the provider host itself, out of the address guard's sight
                .proxy(Proxy.NO_PROXY)
                .dns(addresses)
                .addInterceptor(new EndpointGuard(allowInsecureLoopback, addresses))
                .build();
    }
}
