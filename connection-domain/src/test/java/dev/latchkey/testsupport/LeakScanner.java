package dev.latchkey.testsupport;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Looks for secrets where they must never be (DESIGN.md, "The rule of secrets"): in every column of every table of
 * the database (the event store's payloads and metadata included), in log output, in HTTP responses, and in any text
 * a test hands over (a result's {@code toString()}, an exception's messages).
 *
 * <p>Each secret is searched as it is, Base64-encoded (standard and URL-safe alphabets, padded or not, and also inside
 * a longer Base64 text such as an HTTP Basic header or an encoded blob, at any byte offset), URL-encoded (form
 * encoding, {@code %20} for spaces, escapes in upper or lower case; a percent-encoded text is also searched decoded)
 * and as hex. {@code bytea} columns are searched as their bytes decoded as UTF-8 and as their hex text form.
 *
 * <p>Use: name the secrets as the test learns them ({@link #secret}), {@link #startCapturingLogs()} once the Spring
 * context is up (a context started later re-initialises Logback and drops the appender), {@link #recordResponse} every
 * HTTP answer that must not carry a secret, then {@link #scanEverything(DataSource)} and
 * {@link Report#assertClean()}. Reports name the secret by its label and the place, never the secret itself, so a
 * failing test does not leak it either.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension final LeakScanner leaks = LeakScanner.forSecrets();}) it captures
 * the logs of each test and, after it, asserts that no secret named during the test ({@code leaks.secret("...")}
 * returns it, to be written inline) appears in a log line or in what the test {@link #shown showed}.
 *
 * <p>Not covered: output written to {@code System.out} without Logback (give it to
 * {@link #scanText}), log events below the configured levels (they are never produced), JSON {@code \\u} escapes.
 */
public final class LeakScanner implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

    /** Shorter secrets would match by chance, in Base64 especially. */
    public static final int MIN_SECRET_LENGTH = 8;

    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, List<Needle>> forms = new LinkedHashMap<>();
    private final Queue<Text> responses = new ConcurrentLinkedQueue<>();
    private final Queue<String> shown = new ConcurrentLinkedQueue<>();
    private final CapturingAppender appender = new CapturingAppender();
    private final List<Logger> attachedTo = new ArrayList<>();

    private LeakScanner() {}

    /** A scanner for these secrets, labelled {@code secret #1}, {@code secret #2}, … */
    public static LeakScanner forSecrets(Collection<String> secrets) {
        LeakScanner scanner = new LeakScanner();
        secrets.forEach(scanner::secret);
        return scanner;
    }

    public static LeakScanner forSecrets(String... secrets) {
        return forSecrets(List.of(secrets));
    }

    /** Adds a secret, labelled by its position, and returns it, so a test can name it where it first writes it. */
    public synchronized String secret(String value) {
        secret("secret #" + (secrets.size() + 1), value);
        return value;
    }

    /**
     * Adds a secret to look for, under a label that reports use in its place (say what it is: "access token 2").
     *
     * @throws IllegalArgumentException when it is shorter than {@value #MIN_SECRET_LENGTH} characters
     */
    public synchronized LeakScanner secret(String label, String value) {
        if (value == null || value.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(
                    label + " is too short to search for without false alarms (at least " + MIN_SECRET_LENGTH + ")");
        }
        if (!secrets.containsValue(value)) {
            String unique = secrets.containsKey(label) ? label + " (" + (secrets.size() + 1) + ")" : label;
            secrets.put(unique, value);
            forms.put(unique, needles(value));
        }
        return this;
    }

    public synchronized List<String> labels() {
        return List.copyOf(secrets.keySet());
    }

    // ---- logs

    /** OkHttp, Tomcat and MockWebServer log through java.util.logging: routed to Logback, they are captured too. */
    public static synchronized void bridgeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /** Attaches an appender to the root logger (and to every logger that does not pass its events to the root). */
    public synchronized LeakScanner startCapturingLogs() {
        if (appender.isStarted()) {
            return this;
        }
        bridgeJavaUtilLogging();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender.setContext(context);
        appender.setName("leak-scanner");
        appender.start();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getName().equals(Logger.ROOT_LOGGER_NAME) || !logger.isAdditive()) {
                logger.addAppender(appender);
                attachedTo.add(logger);
            }
        }
        return this;
    }

    /** Detaches the appender; what it captured stays available to {@link #scanLogs()}. */
    public synchronized LeakScanner stopCapturingLogs() {
        attachedTo.forEach(logger -> logger.detachAppender(appender));
        attachedTo.clear();
        appender.stop();
        return this;
    }

    /** Every log event captured so far, rendered as a line (with its MDC, key-values and stack trace). */
    public List<String> capturedLogs() {
        return List.copyOf(appender.lines);
    }

    public Report scanLogs() {
        List<String> lines = capturedLogs();
        Report report = new Report(List.of(), List.of("log: " + lines.size() + " event(s)"));
        for (int i = 0; i < lines.size(); i++) {
            report = report.and(scan("log event " + (i + 1) + " (" + firstWords(lines.get(i)) + ")", lines.get(i)));
        }
        return report;
    }

    // ---- HTTP

    /** Keeps an HTTP answer (status line, headers, body) to scan later, when every secret is known. */
    public LeakScanner recordResponse(String where, Map<String, ? extends Collection<String>> headers, String body) {
        responses.add(new Text(where, render(headers, body)));
        return this;
    }

    /** A {@link java.net.http} answer; a body of bytes is read as UTF-8. */
    public LeakScanner recordResponse(String where, HttpResponse<?> response) {
        return recordResponse(
                where + " -> " + response.statusCode(), response.headers().map(), bodyText(response.body()));
    }

    public Report scanResponses() {
        Report report = new Report(List.of(), List.of("HTTP: " + responses.size() + " response(s)"));
        for (Text response : responses) {
            report = report.and(scan(response.where(), response.text()));
        }
        return report;
    }

    /** Scans one HTTP answer now. */
    public Report scanResponse(String where, Map<String, ? extends Collection<String>> headers, String body) {
        return scan(where, render(headers, body));
    }

    // ---- anything else

    /**
     * Keeps text that must not carry a secret, to scan later: the value's {@code toString()} and, for an exception,
     * the message of each of its causes. Returns the value, so a test can write {@code leaks.shown(exchange(...))}.
     */
    public <T> T shown(T value) {
        shown.add(String.valueOf(value));
        if (value instanceof Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                shown.add(String.valueOf(t.getMessage()));
            }
        }
        return value;
    }

    public Report scanShown() {
        Report report = new Report(List.of(), List.of("shown: " + shown.size() + " text(s)"));
        int i = 0;
        for (String text : shown) {
            report = report.and(scan("text shown by the test #" + ++i, text));
        }
        return report;
    }

    /** Scans any text (captured console output, a file, an exception's printout). */
    public Report scanText(String where, String text) {
        return scan(where, text);
    }

    // ---- the database

    /**
     * Reads every row of every base table of every schema but PostgreSQL's own, and the large objects, column by
     * column: {@code bytea} as UTF-8 and as hex text, everything else in its text form.
     */
    public Report scanDatabase(DataSource dataSource) {
        List<Leak> leaks = new ArrayList<>();
        List<String> scanned = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // PostgreSQL streams a result set only inside a transaction
            try {
                for (String[] table : tables(connection)) {
                    scanTable(connection, table[0], table[1], leaks, scanned);
                }
                scanLargeObjects(connection, leaks, scanned);
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not scan the database: " + e.getMessage(), e);
        }
        return new Report(leaks, scanned);
    }

    /** The database, the captured logs and the recorded responses. */
    public Report scanEverything(DataSource dataSource) {
        return scanDatabase(dataSource).and(scanLogs()).and(scanResponses());
    }

    @Override
    public void close() {
        stopCapturingLogs();
    }

    /** As an extension: captures the test's logs. */
    @Override
    public void beforeEach(ExtensionContext context) {
        startCapturingLogs();
    }

    /** As an extension: the test's logs and what it showed hold none of the secrets it named. */
    @Override
    public void afterEach(ExtensionContext context) {
        stopCapturingLogs();
        scanLogs().and(scanShown()).assertClean();
    }

    private static List<String[]> tables(Connection connection) throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        select table_schema, table_name from information_schema.tables
                        where table_type = 'BASE TABLE'
                          and table_schema not in ('pg_catalog', 'information_schema')
                          and table_schema not like 'pg\\_toast%'
                        order by table_schema, table_name""")) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return tables;
    }

    private void scanTable(Connection connection, String schema, String table, List<Leak> leaks, List<String> scanned)
            throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (PreparedStatement statement =
                connection.prepareStatement("select column_name, data_type from information_schema.columns"
                        + " where table_schema = ? and table_name = ? order by ordinal_position")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        String qualified = quote(schema) + "." + quote(table);
        String select = "select ctid::text"
                + columns.stream().map(c -> ", " + quote(c[0])).collect(Collectors.joining())
                + " from " + qualified;
        columns.forEach(c -> scanned.add(schema + "." + table + "." + c[0]));
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(500);
            try (ResultSet rs = statement.executeQuery(select)) {
                while (rs.next()) {
                    String row = rs.getString(1);
                    for (int i = 0; i < columns.size(); i++) {
                        String column = columns.get(i)[0];
                        String where = "table " + schema + "." + table + " column " + column + " row ctid " + row;
                        if ("bytea".equals(columns.get(i)[1])) {
                            byte[] bytes = rs.getBytes(i + 2);
                            if (bytes != null) {
                                leaks.addAll(
                                        scan(where + " (bytea as UTF-8)", new String(bytes, StandardCharsets.UTF_8))
                                                .leaks());
                                leaks.addAll(scan(
                                                where + " (bytea as hex)",
                                                "\\x" + HexFormat.of().formatHex(bytes))
                                        .leaks());
                            }
                        } else {
                            String text = rs.getString(i + 2);
                            if (text != null) {
                                leaks.addAll(scan(where, text).leaks());
                            }
                        }
                    }
                }
            }
        }
    }

    /** Axon's {@code @Lob} columns would land here if they were ever mapped to {@code oid}. */
    private void scanLargeObjects(Connection connection, List<Leak> leaks, List<String> scanned) throws SQLException {
        Savepoint before = connection.setSavepoint();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select loid, pageno, data from pg_largeobject")) {
            while (rs.next()) {
                leaks.addAll(scan(
                                "large object " + rs.getLong(1) + " page " + rs.getInt(2) + " (as UTF-8)",
                                new String(rs.getBytes(3), StandardCharsets.UTF_8))
                        .leaks());
            }
            scanned.add("pg_catalog.pg_largeobject.data");
        } catch (SQLException e) {
            // only superusers may read it
            connection.rollback(before);
            scanned.add("pg_catalog.pg_largeobject.data NOT READABLE (SQL state " + e.getSQLState() + ")");
        }
    }

    // ---- matching

    private record Needle(String encoding, String text) {}

    private record Text(String where, String text) {}

    private synchronized Report scan(String where, String text) {
        List<Leak> leaks = new ArrayList<>();
        String decoded = text.indexOf('%') >= 0 ? percentDecoded(text) : null;
        forms.forEach((label, needles) -> {
            for (Needle needle : needles) {
                if (text.contains(needle.text())) {
                    leaks.add(new Leak(label, needle.encoding(), where));
                    return;
                }
            }
            if (decoded != null && decoded.contains(secrets.get(label))) {
                leaks.add(new Leak(label, "URL-encoded", where));
            }
        });
        return new Report(leaks, List.of());
    }

    /** The forms a secret is searched in, the plain one first; each is reported under the first encoding naming it. */
    static List<Needle> needles(String secret) {
        byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
        Map<String, String> texts = new LinkedHashMap<>(); // text -> encoding
        texts.putIfAbsent(secret, "plain");
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        texts.putIfAbsent(form, "URL-encoded");
        texts.putIfAbsent(form.replace("+", "%20"), "URL-encoded");
        texts.putIfAbsent(lowerCaseEscapes(form), "URL-encoded");
        texts.putIfAbsent(lowerCaseEscapes(form.replace("+", "%20")), "URL-encoded");
        for (int offset = 0; offset < 3; offset++) {
            texts.putIfAbsent(base64Core(utf8, offset, Base64.getEncoder()), "Base64");
        }
        for (int offset = 0; offset < 3; offset++) {
            texts.putIfAbsent(base64Core(utf8, offset, Base64.getUrlEncoder()), "Base64 (URL-safe)");
        }
        texts.putIfAbsent(HexFormat.of().formatHex(utf8), "hex");
        texts.putIfAbsent(HexFormat.of().withUpperCase().formatHex(utf8), "hex");
        return texts.entrySet().stream()
                .map(entry -> new Needle(entry.getValue(), entry.getKey()))
                .toList();
    }

    /**
     * The characters of the Base64 encoding of {@code secret} that depend on its bytes alone when it starts
     * {@code offset} bytes into the encoded data: found in any Base64 text that contains it, padded or not.
     */
    static String base64Core(byte[] secret, int offset, Base64.Encoder encoder) {
        byte[] shifted = new byte[offset + secret.length];
        System.arraycopy(secret, 0, shifted, offset, secret.length);
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        int first = (8 * offset + 5) / 6; // the first character with no bit of the bytes before
        int end = 8 * (offset + secret.length) / 6; // past the last character with no bit of the bytes after
        return encoded.substring(first, end);
    }

    private static String lowerCaseEscapes(String encoded) {
        StringBuilder result = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                result.append(c).append(encoded.substring(i + 1, i + 3).toLowerCase());
                i += 2;
            } else {
                result.append(c);
            }
        }
        return result.toString();
    }

    /** Decodes every valid {@code %XX} (and {@code +} as a space), leaving the rest as it is. */
    private static String percentDecoded(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
                bytes.write(Integer.parseInt(new String(raw, i + 1, 2, StandardCharsets.US_ASCII), 16));
                i += 2;
            } else {
                bytes.write(raw[i] == '+' ? ' ' : raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static String render(Map<String, ? extends Collection<String>> headers, String body) {
        StringBuilder text = new StringBuilder();
        headers.forEach((name, values) -> values.forEach(
                value -> text.append(name).append(": ").append(value).append('\n')));
        text.append('\n');
        if (body != null) {
            text.append(body);
        }
        return text.toString();
    }

    private static String bodyText(Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (body instanceof Stream<?> lines) {
            return lines.map(String::valueOf).collect(Collectors.joining("\n"));
        }
        return String.valueOf(body);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** The level and logger of a rendered line: enough to find it, nothing of its message. */
    private static String firstWords(String line) {
        int end = line.indexOf(']', line.indexOf(']') + 1);
        return end > 0 ? line.substring(0, end + 1) : "";
    }

    // ---- results

    /**
     * A secret found where it must not be.
     *
     * @param secret the secret's label, never its value
     * @param encoding how it was written there: plain, Base64, Base64 (URL-safe), URL-encoded, hex
     * @param where the table, column and row; the log event; the response
     */
    public record Leak(String secret, String encoding, String where) {

        @Override
        public String toString() {
            return secret + " (" + encoding + ") in " + where;
        }
    }

    /**
     * @param leaks what was found
     * @param scanned what was looked at: {@code schema.table.column} for the database, a count for logs and responses
     */
    public record Report(List<Leak> leaks, List<String> scanned) {

        public Report {
            leaks = List.copyOf(leaks);
            scanned = List.copyOf(scanned);
        }

        public boolean isClean() {
            return leaks.isEmpty();
        }

        public Report and(Report other) {
            return new Report(
                    Stream.concat(leaks.stream(), other.leaks.stream()).toList(),
                    Stream.concat(scanned.stream(), other.scanned.stream()).toList());
        }

        /** @throws AssertionError listing every leak (by label and place) */
        public void assertClean() {
            if (!isClean()) {
                throw new AssertionError(leaks.size() + " secret leak(s):\n  "
                        + leaks.stream().map(Leak::toString).collect(Collectors.joining("\n  ")));
            }
        }

        @Override
        public String toString() {
            return isClean() ? "no leak in " + scanned.size() + " place(s)" : leaks.size() + " leak(s): " + leaks;
        }
    }

    /** Renders each event at once (its arguments may change later) with what an appender could print of it. */
    private static final class CapturingAppender extends AppenderBase<ILoggingEvent> {

        private final Queue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder()
                    .append('[')
                    .append(event.getLevel())
                    .append("] [")
                    .append(event.getLoggerName())
                    .append("] [")
                    .append(event.getThreadName())
                    .append("] ")
                    .append(event.getFormattedMessage());
            if (event.getArgumentArray() != null && event.getArgumentArray().length > 0) {
                // each argument as it is too: one without a placeholder is not in the message, a JSON encoder writes it
                line.append(" args=").append(Arrays.toString(event.getArgumentArray()));
            }
            if (event.getMDCPropertyMap() != null && !event.getMDCPropertyMap().isEmpty()) {
                line.append(" mdc=").append(event.getMDCPropertyMap());
            }
            if (event.getKeyValuePairs() != null && !event.getKeyValuePairs().isEmpty()) {
                line.append(" kv=").append(event.getKeyValuePairs());
            }
            if (event.getThrowableProxy() != null) {
                line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            lines.add(line.toString());
        }
    }
}
