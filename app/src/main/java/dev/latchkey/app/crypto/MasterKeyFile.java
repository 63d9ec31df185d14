package dev.latchkey.app.crypto;

import dev.latchkey.domain.secret.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key of the embedded default, generated once into the data directory beside the database it protects
 * (file mode 0600), in the same {@code id:base64} form as {@code LATCHKEY_MASTER_KEYS}.
 */
public final class MasterKeyFile {

    static final String FILE_NAME = "master-keys";

    private static final Logger log = LoggerFactory.getLogger(MasterKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private MasterKeyFile() {}

    /** Reads {@code <dataDir>/master-keys}, generating it first when it does not exist. */
    public static MasterKeyring loadOrGenerate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath().normalize();
        try {
            if (Files.notExists(file)) {
                generate(file);
            }
            warnIfReadableByOthers(file);
            return MasterKeyring.parse(Secret.of(Files.readString(file, StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or create the master key file " + file, e);
        }
    }

    private static void generate(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[MasterKeyring.KEY_BYTES];
        RANDOM.nextBytes(key);
        byte[] suffix = new byte[4];
        RANDOM.nextBytes(suffix);
        String id = "local-" + HexFormat.of().formatHex(suffix);
        byte[] line = (id + ":" + Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);

        // written whole under another name, then moved in place: a crash never leaves half a key behind
        Path partial = Files.createTempFile(
                file.getParent(), FILE_NAME, ".partial", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(partial);
            return;
        }
        log.info(
                "Generated master key {} into {}: keep this file with the database, the secrets stored there "
                        + "cannot be opened without it",
                id,
                file);
    }

    private static void warnIfReadableByOthers(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
            log.warn(
                    "The master key file {} is {}; it should be readable by its owner only (chmod 600)",
                    file,
                    PosixFilePermissions.toString(permissions));
        }
    }
}
