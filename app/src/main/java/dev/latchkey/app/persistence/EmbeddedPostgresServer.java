package dev.latchkey.app.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the binaries shipped in a jar, its cluster kept in a directory of ours across
 * restarts. Made durable: zonky's defaults (fsync and synchronous commit off) suit throwaway test databases only.
 * Spring stops it, after the connection pool: zonky's own JVM shutdown hook is not registered, since it would race
 * Spring's and stop the server under a pool still in use.
 */
public final class EmbeddedPostgresServer implements Closeable {

    static final String DATABASE = "latchkey";
    static final String USER = "postgres";
    /** The file zonky locks while its JVM runs the server. */
    static final String ZONKY_LOCK_FILE = "epg-lock";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** Starts the server on a free port, creating the cluster and the {@code latchkey} database the first time. */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory);
            stopServerLeftRunning(directory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    // zonky also passes -F (fsync off); these -c settings come after it and win
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // crash recovery after an unclean stop can take longer than zonky's 10 s
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, directory);
            try {
                server.createDatabaseIfMissing();
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + directory, e);
        }
    }

    /**
     * A JVM killed without its shutdown (kill -9, the OOM killer) leaves its PostgreSQL running and holding the
     * directory, and the next start would fail. Zonky holds {@code epg-lock} while its JVM lives: when that lock is
     * free, the server named in {@code postmaster.pid} (if it still runs, on this very directory) is an orphan and is
     * stopped; its clients died with the JVM that started it.
     */
    private static void stopServerLeftRunning(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(
                        directory.resolve(ZONKY_LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("another process runs the embedded PostgreSQL in " + directory);
            }
            Optional<ProcessHandle> orphan = postmasterOf(pidFile)
                    .filter(ProcessHandle::isAlive)
                    .filter(process -> process.info()
                            .arguments()
                            .map(arguments -> List.of(arguments).contains(directory.toString()))
                            .orElse(false));
            if (orphan.isPresent()) {
                log.warn(
                        "Stopping the PostgreSQL (pid {}) that an earlier run left running in {}",
                        orphan.get().pid(),
                        directory);
                orphan.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown, which has no client left to wait for
                orphan.get().onExit().get(60, TimeUnit.SECONDS);
            }
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("this JVM already runs the embedded PostgreSQL in " + directory);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the PostgreSQL left running in " + directory);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the PostgreSQL left running in " + directory + " did not stop", e);
        }
    }

    private static Optional<ProcessHandle> postmasterOf(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        if (lines.isEmpty() || !lines.get(0).strip().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).strip()));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet found =
                    statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (found.next()) {
                    return;
                }
            }
            statement.execute("create database " + DATABASE);
            log.info("Created the database {} in the embedded PostgreSQL", DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the database " + DATABASE, e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
        log.info("Stopped the embedded PostgreSQL in {}", dataDirectory);
    }
}
