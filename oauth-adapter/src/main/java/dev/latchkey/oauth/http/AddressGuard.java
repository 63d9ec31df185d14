package dev.latchkey.oauth.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;

/**
 * Keeps provider calls off internal networks: a provider host may resolve only to public addresses, or to loopback
 * when insecure loopback is allowed. It is OkHttp's resolver, so the addresses checked are the addresses connected
 * to (a second lookup that a DNS rebinding attack could answer differently never happens).
 */
public final class AddressGuard implements Dns {

    private final boolean allowLoopback;
    private final Dns resolver;

    public AddressGuard(boolean allowLoopback) {
        this(allowLoopback, Dns.SYSTEM);
    }

    AddressGuard(boolean allowLoopback, Dns resolver) {
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> permitted =
                resolver.lookup(hostname).stream().filter(this::permits).toList();
        if (permitted.isEmpty()) {
            throw new RefusedAddressException();
        }
        return permitted;
    }

    /** Whether a call may connect to this address. */
    public boolean permits(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback;
        }
        if (address.isAnyLocalAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isMulticastAddress()) {
            return false;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            boolean thisNetwork = first == 0;
            boolean sharedAddressSpace = first == 100 && (second & 0xc0) == 64; // 100.64.0.0/10, carrier-grade NAT
            boolean broadcast = first == 255;
            return !(thisNetwork || sharedAddressSpace || broadcast);
        }
        if (address instanceof Inet6Address) {
            boolean uniqueLocal = (bytes[0] & 0xfe) == 0xfc; // fc00::/7
            return !uniqueLocal;
        }
        return false;
    }

    /** A host that resolves only to addresses a provider call may not reach. */
    public static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException() {
            super("provider host does not resolve to a permitted address");
        }
    }
}
