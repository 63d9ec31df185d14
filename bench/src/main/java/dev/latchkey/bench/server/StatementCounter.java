package dev.latchkey.bench.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Counts the SQL statements and commits the server sends to PostgreSQL. The embedded PostgreSQL is started by the
 * application without {@code shared_preload_libraries}, so {@code pg_stat_statements} cannot be loaded; instead
 * Hikari is given this as the source of its physical connections (see {@link BenchConfiguration}), and every
 * {@code execute*} call on a statement of theirs counts one statement (a batch counts each of its rows).
 */
final class StatementCounter {

    static final LongAdder STATEMENTS = new LongAdder();
    static final LongAdder COMMITS = new LongAdder();
    static final LongAdder ROLLBACKS = new LongAdder();

    private StatementCounter() {}

    /** Physical connections from the driver, as Hikari's own DriverDataSource makes them, each one counted. */
    static DataSource dataSource(String url, String username, String password, Properties properties) {
        return new CountingSource(url, username, password, properties);
    }

    private static final class CountingSource implements DataSource {
        private final String url;
        private final String username;
        private final String password;
        private final Properties properties;
        private java.io.PrintWriter logWriter;
        private int loginTimeout;

        CountingSource(String url, String username, String password, Properties properties) {
            this.url = url;
            this.username = username;
            this.password = password;
            this.properties = properties == null ? new Properties() : properties;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return getConnection(username, password);
        }

        @Override
        public Connection getConnection(String user, String pass) throws SQLException {
            Properties connect = new Properties();
            connect.putAll(properties);
            if (user != null) {
                connect.setProperty("user", user);
            }
            if (pass != null) {
                connect.setProperty("password", pass);
            }
            return counted(DriverManager.getConnection(url, connect));
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return logWriter;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
            logWriter = out;
        }

        @Override
        public void setLoginTimeout(int seconds) {
            loginTimeout = seconds;
        }

        @Override
        public int getLoginTimeout() {
            return loginTimeout;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getLogger("dev.latchkey.bench");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            if (type.isInstance(this)) {
                return type.cast(this);
            }
            throw new SQLException("not a wrapper of " + type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return type.isInstance(this);
        }
    }

    private static Connection counted(Connection connection) {
        return (Connection) Proxy.newProxyInstance(
                StatementCounter.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "commit" -> COMMITS.increment();
                        case "rollback" -> {
                            if (args == null) {
                                ROLLBACKS.increment();
                            }
                        }
                        default -> {}
                    }
                    Object result = invoke(connection, method, args);
                    if (result instanceof CallableStatement callable) {
                        return counted(callable, CallableStatement.class);
                    }
                    if (result instanceof PreparedStatement prepared) {
                        return counted(prepared, PreparedStatement.class);
                    }
                    if (result instanceof Statement statement) {
                        return counted(statement, Statement.class);
                    }
                    return result;
                });
    }

    private static Object counted(Statement statement, Class<? extends Statement> type) {
        InvocationHandler handler = new InvocationHandler() {
            private int batched;

            @Override
            public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
                String name = method.getName();
                if (name.equals("addBatch")) {
                    batched++;
                } else if (name.equals("clearBatch")) {
                    batched = 0;
                } else if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                    STATEMENTS.add(batched);
                    batched = 0;
                } else if (name.startsWith("execute")) {
                    STATEMENTS.increment();
                }
                return StatementCounter.invoke(statement, method, args);
            }
        };
        return Proxy.newProxyInstance(StatementCounter.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // the driver's own SQLException, SQL state and all, as Hikari expects it
        }
    }
}
