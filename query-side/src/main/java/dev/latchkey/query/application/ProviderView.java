package dev.latchkey.query.application;

import dev.latchkey.domain.application.ProviderName;
import dev.latchkey.domain.application.ProviderStatus;

/** A connection provider of the application and whether members may connect it yet. */
public record ProviderView(ProviderName name, ProviderStatus status) {}
