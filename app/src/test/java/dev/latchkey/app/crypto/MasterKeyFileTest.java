package dev.latchkey.app.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class MasterKeyFileTest {

    @Test
    void generatesTheKeyOnceReadableByItsOwnerOnlyAndLogsItsIdButNotIt(@TempDir Path dataDir, CapturedOutput output)
            throws Exception {
        MasterKeyring first = MasterKeyFile.loadOrGenerate(dataDir.resolve("nested"));
        MasterKeyring second = MasterKeyFile.loadOrGenerate(dataDir.resolve("nested"));

        Path file = dataDir.resolve("nested").resolve(MasterKeyFile.FILE_NAME);
        String content = Files.readString(file).strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(first.currentId()).startsWith("local-").isEqualTo(second.currentId());
        assertThat(content).startsWith(first.currentId() + ":");
        assertThat(output.getOut())
                .containsOnlyOnce("Generated master key " + first.currentId())
                .doesNotContain(content.substring(content.indexOf(':') + 1));
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }

        byte[] wrapped = first.current().encrypt(new byte[] {1, 2, 3}, new byte[0]);
        assertThat(second.require(first.currentId(), "dk:test").decrypt(wrapped, new byte[0]))
                .containsExactly(1, 2, 3);
    }
}
