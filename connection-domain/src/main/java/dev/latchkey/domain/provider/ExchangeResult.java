package dev.latchkey.domain.provider;

/** What a token request came back with: tokens, or a classified failure. */
public sealed interface ExchangeResult permits TokenGrant, ExchangeFailure {}
