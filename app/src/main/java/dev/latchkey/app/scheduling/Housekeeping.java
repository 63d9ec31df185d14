package dev.latchkey.app.scheduling;

import dev.latchkey.app.browser.AuthorizationTickets;
import dev.latchkey.app.web.IdempotentRequests;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/** Background work: dropping browser tickets and idempotency records nobody can use any more. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class Housekeeping {

    private final AuthorizationTickets tickets;
    private final IdempotentRequests idempotency;

    public Housekeeping(AuthorizationTickets tickets, IdempotentRequests idempotency) {
        this.tickets = tickets;
        this.idempotency = idempotency;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    public void dropExpired() {
        tickets.deleteExpired();
        idempotency.deleteExpired();
    }
}
