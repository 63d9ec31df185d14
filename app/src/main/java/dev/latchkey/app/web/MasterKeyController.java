package dev.latchkey.app.web;

import dev.latchkey.app.crypto.MasterKeyRotation;
import dev.latchkey.app.security.Caller;
import dev.latchkey.app.security.Scopes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/admin/master-keys/rotate} (scope {@code apps:admin}): re-wraps every data key under the current
 * master key while the application serves, and answers what it did and which master keys may now be removed.
 */
@RestController
@RequestMapping("/v1/admin/master-keys")
@PreAuthorize("hasAuthority('" + Scopes.APPS_ADMIN + "')")
class MasterKeyController {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyController.class);

    private final MasterKeyRotation rotation;

    MasterKeyController(MasterKeyRotation rotation) {
        this.rotation = rotation;
    }

    @PostMapping("/rotate")
    MasterKeyRotation.Report rotate(@AuthenticationPrincipal Jwt jwt) {
        String actor = Caller.from(jwt).actor();
        log.info("master key rotation asked by {}", actor);
        MasterKeyRotation.Report report = rotation.rotate();
        log.info(
                "master key rotation asked by {}: {} data key(s) re-wrapped under {}, {} failed; by master key now {}",
                actor,
                report.rewrapped(),
                report.currentMasterKeyId(),
                report.failed(),
                report.liveDataKeysByMasterKey());
        return report;
    }
}
