package dev.latchkey.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.domain.application.OAuthSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scopes a token response says were granted (RFC 6749 §3.3 and §5.1). When the list cannot be trusted, it is
 * treated as absent, so the connection keeps the scopes it asked for, as when a provider says nothing.
 */
final class GrantedScopes {

    private static final Logger log = LoggerFactory.getLogger(GrantedScopes.class);

    /** More than any real grant names (Google's broadest consent is a few dozen); a longer list is noise or an attack. */
    static final int MAX_SCOPES = 256;

    /** RFC 6749 sets no limit; 255 fits every real scope, URL-shaped ones included, and a bounded read-model column. */
    static final int MAX_SCOPE_LENGTH = 255;

    /** RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ), visible ASCII except '"' and '\'. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    /** ASCII whitespace only: a control character or a Unicode space inside a scope makes it invalid, not trimmed. */
    private static final Pattern EDGE_WHITESPACE = Pattern.compile("^\\s+|\\s+$");

    private GrantedScopes() {}

    /**
     * Space-delimited (RFC 6749), split on the provider's declared separator too, or a JSON array of strings.
     *
     * @return null when the response names no scopes, or names more than {@link #MAX_SCOPES} or any that is not a
     *     scope-token of at most {@link #MAX_SCOPE_LENGTH} characters
     */
    static List<String> from(JsonNode node, OAuthSettings oauth) {
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> scopes = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode scope : node) {
                if (!scope.isTextual()) {
                    return unusable("an element that is not a string");
                }
                String trimmed = EDGE_WHITESPACE.matcher(scope.asText()).replaceAll("");
                if (!trimmed.isEmpty()) {
                    scopes.add(trimmed);
                }
            }
        } else if (node.isTextual()) {
            String separator = oauth.scopeSeparatorOrDefault();
            String pattern = separator.isBlank() ? "\\s+" : Pattern.quote(separator) + "|\\s+";
            Arrays.stream(node.asText().split(pattern))
                    .filter(scope -> !scope.isEmpty())
                    .forEach(scopes::add);
        } else {
            return null;
        }
        if (scopes.size() > MAX_SCOPES) {
            return unusable("more than " + MAX_SCOPES + " scopes");
        }
        for (String scope : scopes) {
            if (scope.length() > MAX_SCOPE_LENGTH || !SCOPE_TOKEN.matcher(scope).matches()) {
                return unusable(
                        "a scope that is no RFC 6749 scope-token of at most " + MAX_SCOPE_LENGTH + " characters");
            }
        }
        return scopes;
    }

    /** The fact only: the scopes themselves are provider text and may echo anything. */
    private static List<String> unusable(String why) {
        log.warn("granted scopes ignored, the requested ones stand: the response held {}", why);
        return null;
    }
}
