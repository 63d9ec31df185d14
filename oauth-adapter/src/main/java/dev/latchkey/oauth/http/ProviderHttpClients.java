package dev.latchkey.oauth.http;

import java.net.Proxy;
import okhttp3.OkHttpClient;

/**
 * The one OkHttp client every provider call goes through, with the adapter's HTTP hygiene built in. OkHttp rather than
 * ScribeJava's {@code HttpURLConnection} client: the same throughput when measured, but a whole-call deadline (a read
 * timeout alone lets a dripping provider hold a thread indefinitely) and a resolver hook, so the address guard checks
 * the very addresses connected to.
 */
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
