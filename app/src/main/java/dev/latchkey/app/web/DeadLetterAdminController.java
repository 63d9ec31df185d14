package dev.latchkey.app.web;

import dev.latchkey.app.deadletter.ParkedSequences;
import dev.latchkey.app.deadletter.ParkedSequences.ParkedSequence;
import dev.latchkey.app.deadletter.ParkedSequences.RetryOutcome;
import dev.latchkey.app.security.Scopes;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/admin/dead-letters} (scope {@code apps:admin}): the sequences a projection parked because it could not
 * apply one of their events, and {@code POST /{sequence}/retry} to apply them again once the cause is fixed (200 with
 * the outcome: {@code applied} or {@code still-parked}; 404 when nothing of that sequence is parked).
 */
@RestController
@RequestMapping("/v1/admin/dead-letters")
@PreAuthorize("hasAuthority('" + Scopes.APPS_ADMIN + "')")
class DeadLetterAdminController {

    private final ParkedSequences parked;

    DeadLetterAdminController(ParkedSequences parked) {
        this.parked = parked;
    }

    record Sequences(List<ParkedSequence> items) {}

    @GetMapping
    Sequences list() {
        return new Sequences(parked.list());
    }

    @PostMapping("/{sequence}/retry")
    RetryOutcome retry(@PathVariable String sequence) {
        return parked.retry(sequence).orElseThrow(NotFoundException::new);
    }
}
