package dev.latchkey.oauth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A token endpoint's answer in {@code application/x-www-form-urlencoded}, the legacy shape some providers still send
 * (GitHub's OAuth apps when not asked for JSON, sometimes labelled {@code text/plain}), read into the same JSON object a
 * JSON answer gives, every value a string.
 */
final class FormEncodedBody {

    /** A field name as token endpoints spell them; anything else (an HTML page, prose) is no form body. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_.:\\-\\[\\]]{1,128}");

    private FormEncodedBody() {}

    /** Whether a body with this {@code Content-Type} may be form-encoded. */
    static boolean mayBe(String contentType) {
        String type = mediaType(contentType);
        return type.equals("application/x-www-form-urlencoded") || type.equals("text/plain");
    }

    /** Whether this {@code Content-Type} says form-encoded outright. */
    static boolean declared(String contentType) {
        return mediaType(contentType).equals("application/x-www-form-urlencoded");
    }

    /**
     * @return the fields, or null when the body is not form encoding: empty, a field name that is none, a field given
     *     twice, or a broken percent escape (never an exception, whose message would quote the body)
     */
    static ObjectNode read(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (name == null || value == null || !FIELD_NAME.matcher(name).matches() || fields.has(name)) {
                return null;
            }
            fields.put(name, value);
        }
        return fields.isEmpty() ? null : fields;
    }

    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null; // its message quotes the escape
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters))
                .trim()
                .toLowerCase(Locale.ROOT);
    }
}
