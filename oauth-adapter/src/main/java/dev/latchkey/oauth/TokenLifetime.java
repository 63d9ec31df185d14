package dev.latchkey.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A token's {@code expires_in} (RFC 6749 §5.1) as a lifetime the rest of Latchkey can add to an instant. */
final class TokenLifetime {

    /** The longest lifetime believed: {@code now + expires_in} must never overflow an Instant, and a year is longer than any provider's real expiry we rely on. */
    static final Duration LONGEST = Duration.ofDays(365);

    /** Digits, optionally with a fraction (Zendesk quotes the number); no sign, no exponent. */
    private static final Pattern DECIMAL = Pattern.compile("0*([0-9]+)(?:\\.[0-9]+)?");

    /** The most digits a whole number of seconds below {@link #LONGEST} can have, with room to spare. */
    private static final int MAX_DIGITS = 18;

    private TokenLifetime() {}

    /**
     * A JSON number (integral or with a fraction, cut to the whole second below) or a string of digits, at most
     * {@link #LONGEST}.
     *
     * @return null when absent, zero, negative or no number: the expiry is unknown
     */
    static Duration fromExpiresIn(JsonNode node) {
        return fromSeconds(node, LONGEST);
    }

    /** The longest refresh-token lifetime believed (QuickBooks' hard limit is five years). */
    static final Duration LONGEST_REFRESH = Duration.ofDays(3660);

    /**
     * The refresh token's lifetime, read like {@code expires_in}: the shortest of {@code refresh_token_expires_in}
     * (GitHub apps, Microsoft and others), QuickBooks' sliding {@code x_refresh_token_expires_in} and its hard
     * {@code x_refresh_token_lifetime_expires_in}, at most {@link #LONGEST_REFRESH}.
     *
     * @return null when the response names none of them as a positive number: the lifetime is unknown
     */
    static Duration ofRefreshToken(JsonNode body) {
        Duration shortest = null;
        for (String field : new String[] {
            "refresh_token_expires_in", "x_refresh_token_expires_in", "x_refresh_token_lifetime_expires_in"
        }) {
            Duration lifetime = fromSeconds(body.get(field), LONGEST_REFRESH);
            if (lifetime != null && (shortest == null || lifetime.compareTo(shortest) < 0)) {
                shortest = lifetime;
            }
        }
        return shortest;
    }

    private static Duration fromSeconds(JsonNode node, Duration longest) {
        BigDecimal longestSeconds = BigDecimal.valueOf(longest.getSeconds());
        if (node == null) {
            return null;
        }
        BigDecimal seconds;
        if (node.isIntegralNumber()) {
            seconds = new BigDecimal(node.bigIntegerValue());
        } else if (node.isBigDecimal()) {
            seconds = node.decimalValue();
        } else if (node.isFloatingPointNumber()) {
            double value = node.doubleValue();
            if (Double.isNaN(value)) {
                return null;
            }
            if (Double.isInfinite(value)) {
                return value > 0 ? longest : null; // 1e999 is read as infinity
            }
            seconds = BigDecimal.valueOf(value);
        } else if (node.isTextual()) {
            seconds = fromText(node.asText().trim());
        } else {
            return null;
        }
        if (seconds == null || seconds.signum() <= 0) {
            return null;
        }
        if (seconds.compareTo(longestSeconds) >= 0) {
            return longest;
        }
        long whole = seconds.longValue(); // below a year, so exact; a fraction is cut off
        return whole == 0 ? null : Duration.ofSeconds(whole);
    }

    private static BigDecimal fromText(String text) {
        Matcher digits = DECIMAL.matcher(text);
        if (!digits.matches()) {
            return null;
        }
        String whole = digits.group(1);
        // a longer string of digits is far beyond a year, and not worth parsing
        return whole.length() > MAX_DIGITS ? BigDecimal.TEN.pow(MAX_DIGITS) : new BigDecimal(whole);
    }
}
