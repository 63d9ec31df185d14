package dev.latchkey.oauth.http;

import dev.latchkey.domain.application.EndpointPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Checks every request before it leaves: {@code https} only (plain {@code http} to loopback when allowed), and a host
 * written as an IP address held to the {@link AddressGuard} rules, because OkHttp never asks the resolver about one.
 */
public final class EndpointGuard implements Interceptor {

    private final EndpointPolicy policy;
    private final AddressGuard addresses;

    public EndpointGuard(boolean allowInsecureLoopback, AddressGuard addresses) {
        this.policy = new EndpointPolicy(allowInsecureLoopback);
        this.addresses = addresses;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        HttpUrl url = chain.request().url();
        if (policy.check(url.toString()) != null) {
            throw new RefusedEndpointException("endpoint-not-allowed");
        }
        InetAddress literal = literalAddress(url.host());
        if (literal != null && !addresses.permits(literal)) {
            throw new RefusedEndpointException("address-not-allowed");
        }
        return chain.proceed(chain.request());
    }

    private static InetAddress literalAddress(String host) {
        if (!host.contains(":") && !host.matches("[0-9.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A request the adapter refuses to send; {@link #reason()} is a short classification. */
    public static final class RefusedEndpointException extends IOException {
        private final String reason;

        RefusedEndpointException(String reason) {
            super(reason);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
