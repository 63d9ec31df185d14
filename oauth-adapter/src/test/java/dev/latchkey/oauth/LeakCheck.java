package dev.latchkey.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Captures every log line written during a test (Logback's root logger, java.util.logging bridged in) and, after the
 * test, asserts that none of the secrets it registered appears in a log line, a logged exception, or any text the
 * test handed over (results' {@code toString()}, exception messages).
 */
final class LeakCheck implements BeforeEachCallback, AfterEachCallback {

    static {
        bridgeJavaUtilLogging();
    }

    /** OkHttp, Tomcat and MockWebServer log through java.util.logging: route it to Logback, where it is captured. */
    static synchronized void bridgeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    private final List<String> secrets = new CopyOnWriteArrayList<>();
    private final List<String> shown = new CopyOnWriteArrayList<>();
    private ListAppender<ILoggingEvent> appender;

    /** Registers a secret and returns it, so a test can write {@code leaks.secret("...")} inline. */
    String secret(String value) {
        secrets.add(value);
        return value;
    }

    /** Text that must not carry a secret: a result's {@code toString()}, an exception's messages. */
    <T> T shown(T value) {
        shown.add(String.valueOf(value));
        if (value instanceof Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                shown.add(String.valueOf(t.getMessage()));
            }
        }
        return value;
    }

    List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        appender = new ListAppender<>();
        appender.start();
        root().addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root().detachAppender(appender);
        List<String> texts = new ArrayList<>(shown);
        for (ILoggingEvent event : appender.list) {
            texts.add(event.getFormattedMessage());
            if (event.getArgumentArray() != null) {
                Arrays.stream(event.getArgumentArray()).map(String::valueOf).forEach(texts::add);
            }
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                texts.add(t.getClassName() + ": " + t.getMessage());
            }
        }
        for (String secret : secrets) {
            assertThat(texts)
                    .as("log lines, exception messages and results must not contain a secret")
                    .noneMatch(text -> text != null && text.contains(secret));
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
