package dev.latchkey.domain.application;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Which provider endpoint URLs a manifest may name: absolute {@code https} URLs, and plain {@code http} only to a
 * loopback host when insecure loopback is allowed (development and tests).
 */
public record EndpointPolicy(boolean allowInsecureLoopback) {

    /** @return null when the URL is acceptable, else what is wrong with it */
    public String check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return "must be an absolute URL";
        }
        if (!uri.isAbsolute() || uri.getHost() == null) {
            return "must be an absolute URL";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not carry user info";
        }
        if (uri.getRawFragment() != null) {
            return "must not carry a fragment";
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("https")) {
            return null;
        }
        if (scheme.equals("http")) {
            if (!allowInsecureLoopback) {
                return "must use https (http only to loopback when LATCHKEY_ALLOW_INSECURE_LOOPBACK=true)";
            }
            return isLoopbackLiteral(uri.getHost()) ? null : "plain http is allowed only to a loopback address";
        }
        return "must use https";
    }

    /** Loopback by name or literal address only: no DNS lookup happens while validating a manifest. */
    static boolean isLoopbackLiteral(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
