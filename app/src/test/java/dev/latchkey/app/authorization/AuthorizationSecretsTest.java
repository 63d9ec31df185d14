package dev.latchkey.app.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 9700 §4.7 / RFC 7636 §4.1: states and verifiers an attacker cannot guess. */
class AuthorizationSecretsTest {

    @Test
    void tenThousandStatesAreUniqueBase64UrlValuesOfFortyThreeCharacters() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String state = AuthorizationSecrets.random256().reveal();
            assertThat(state).hasSize(43).matches("[A-Za-z0-9_-]{43}");
            assertThat(seen.add(state)).as("state %s repeated", i).isTrue();
        }
    }

    @Test
    void aStateIsStoredOnlyAsItsSha256Digest() {
        String digest = AuthorizationSecrets.digest("abc");
        assertThat(digest).hasSize(64).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
