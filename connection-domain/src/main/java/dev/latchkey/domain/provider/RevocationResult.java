package dev.latchkey.domain.provider;

import dev.latchkey.domain.connection.RevocationOutcome;

public record RevocationResult(RevocationOutcome refreshToken, RevocationOutcome accessToken) {}
