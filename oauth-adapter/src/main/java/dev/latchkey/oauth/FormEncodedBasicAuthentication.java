package dev.latchkey.oauth;

import com.github.scribejava.core.model.OAuthRequest;
import com.github.scribejava.core.oauth2.clientauthentication.ClientAuthentication;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code client_secret_basic} as RFC 6749 §2.3.1 says: id and secret form-encoded before they are joined and Base64
 * encoded, so a secret with {@code +}, {@code %} or {@code /} survives a conforming server's decoding. ScribeJava's
 * own scheme skips the form-encoding.
 */
final class FormEncodedBasicAuthentication implements ClientAuthentication {

    static final FormEncodedBasicAuthentication INSTANCE = new FormEncodedBasicAuthentication();

    private FormEncodedBasicAuthentication() {}

    @Override
    public void addClientAuthentication(OAuthRequest request, String clientId, String clientSecret) {
        String credentials = formEncode(clientId) + ":" + formEncode(clientSecret);
        request.addHeader(
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
