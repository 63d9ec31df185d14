package dev.latchkey.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A body carrying a failed access token prints without it (Spring MVC logs read bodies at DEBUG). */
class RefreshBodyTest {

    @Test
    void theFailedAccessTokenNeverAppearsInTheBodysText() {
        String token = "at-secret-4f8c2d";

        assertThat(new ConnectionController.RefreshBody(token).toString())
                .doesNotContain(token)
                .contains("***");
        assertThat(new ConnectionController.RefreshBody(null).toString()).contains("null");
    }
}
