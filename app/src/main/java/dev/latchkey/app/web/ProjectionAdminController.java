package dev.latchkey.app.web;

import dev.latchkey.app.replay.ProjectionReplays;
import dev.latchkey.app.replay.ReplayProgress;
import dev.latchkey.app.security.Scopes;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/admin/projections} (scope {@code apps:admin}): rebuild a projection from the event store and follow the
 * rebuild. {@code POST /{name}/replay} answers 202 at once with the progress; {@code GET /{name}} answers the progress
 * (events done and total, rate, seconds left) until the replay has caught up, and the projection's state after.
 */
@RestController
@RequestMapping("/v1/admin/projections")
@PreAuthorize("hasAuthority('" + Scopes.APPS_ADMIN + "')")
class ProjectionAdminController {

    private final ProjectionReplays replays;

    ProjectionAdminController(ProjectionReplays replays) {
        this.replays = replays;
    }

    record Projections(List<ReplayProgress> items) {}

    @GetMapping
    Projections list() {
        return new Projections(replays.replayable().stream()
                .map(name -> replays.progress(name).orElseThrow())
                .toList());
    }

    @GetMapping("/{name}")
    ReplayProgress progress(@PathVariable String name) {
        return replays.progress(name).orElseThrow(NotFoundException::new);
    }

    @PostMapping("/{name}/replay")
    ResponseEntity<ReplayProgress> replay(@PathVariable String name) {
        if (replays.progress(name).isEmpty()) {
            throw new NotFoundException();
        }
        ReplayProgress started = replays.start(name);
        return ResponseEntity.accepted()
                .location(URI.create("/v1/admin/projections/" + name))
                .body(started);
    }
}
