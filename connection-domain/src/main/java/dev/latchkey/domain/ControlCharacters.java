package dev.latchkey.domain;

/**
 * API.md's rule for text that a person or a provider sends: no C0 control character (U+0000 to U+001F) and no DEL
 * (U+007F), except tab and newline in multi-line text ({@code reason}, {@code description}). The edge refuses such
 * text before anything is stored, and the domain refuses it again for commands from any other gateway: a NUL never
 * reaches the database.
 */
public final class ControlCharacters {

    public static final String REFUSED = "must not contain control characters";
    public static final String REFUSED_MULTILINE = "must not contain control characters other than tab and newline";

    private ControlCharacters() {}

    /** Whether single-line text holds a control character. */
    public static boolean in(String text) {
        return text != null && text.chars().anyMatch(ControlCharacters::isControl);
    }

    /** Whether multi-line text holds a control character other than tab and newline. */
    public static boolean inMultiline(String text) {
        return text != null && text.chars().anyMatch(c -> isControl(c) && c != '\t' && c != '\n');
    }

    /** Whether {@code field} (the last name of its path) is multi-line text. */
    public static boolean isMultilineField(String field) {
        return "reason".equals(field) || "description".equals(field);
    }

    /** Multi-line text with every other control character replaced by U+FFFD, for text we cannot refuse. */
    public static String replacedIn(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        text.chars().forEach(c -> kept.append(isControl(c) && c != '\t' && c != '\n' ? '\uFFFD' : (char) c));
        return kept.toString();
    }

    private static boolean isControl(int c) {
        return c <= 0x1f || c == 0x7f;
    }
}
