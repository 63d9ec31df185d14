package dev.latchkey.oauth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

    private final AddressGuard strict = new AddressGuard(false);
    private final AddressGuard loopbackAllowed = new AddressGuard(true);

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.254",
                "192.168.1.1",
                "169.254.169.254",
                "100.64.0.1",
                "0.0.0.0",
                "255.255.255.255",
                "224.0.0.1",
                "fe80::1",
                "fd00::1",
                "fc00::1",
                "::",
                "::ffff:10.0.0.1"
            })
    void privateLinkLocalAndOtherInternalAddressesAreRefusedEvenWithInsecureLoopback(String literal)
            throws UnknownHostException {
        InetAddress address = InetAddress.getByName(literal);

        assertThat(strict.permits(address)).isFalse();
        assertThat(loopbackAllowed.permits(address)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"})
    void loopbackIsAllowedOnlyWhenInsecureLoopbackIs(String literal) throws UnknownHostException {
        InetAddress address = InetAddress.getByName(literal);

        assertThat(strict.permits(address)).isFalse();
        assertThat(loopbackAllowed.permits(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:220:1::1"})
    void publicAddressesPass(String literal) throws UnknownHostException {
        assertThat(strict.permits(InetAddress.getByName(literal))).isTrue();
    }

    @Test
    void aHostResolvingOnlyToInternalAddressesIsRefusedAndAMixedAnswerKeepsOnlyPublicOnes()
            throws UnknownHostException {
        InetAddress internal = InetAddress.getByName("10.0.0.7");
        InetAddress metadata = InetAddress.getByName("169.254.169.254");
        InetAddress outside = InetAddress.getByName("93.184.216.34");
        AddressGuard rebinding = guardResolvingTo(List.of(internal, metadata));
        AddressGuard mixed = guardResolvingTo(List.of(internal, outside));

        assertThatThrownBy(() -> rebinding.lookup("provider.example"))
                .isInstanceOf(UnknownHostException.class)
                .isInstanceOf(AddressGuard.RefusedAddressException.class);
        assertThat(mixed.lookup("provider.example")).containsExactly(outside);
    }

    private static AddressGuard guardResolvingTo(List<InetAddress> answer) {
        return new AddressGuard(false, hostname -> answer);
    }
}
