package dev.latchkey.query;

import dev.latchkey.query.application.ApplicationQueries;
import dev.latchkey.query.application.ApplicationViewProjection;
import dev.latchkey.query.authorization.AuthorizationStates;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.query.projection.ProjectionPositions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The query side's beans, for the application to {@code @Import}. Axon's Spring support finds their event and
 * query handlers; the processors of the groups are the application's to configure:
 *
 * <ul>
 *   <li>{@value ConnectionViewProjection#PROCESSING_GROUP} and {@value ApplicationViewProjection#PROCESSING_GROUP}:
 *       pooled streaming, one segment each (so a projection's position means every earlier event is applied),
 *       a batch size well above 1 (the projections write once per batch), a propagating error handler and a
 *       sequenced dead-letter queue (an event the database refuses parks its sequence: see {@code RefusedSequences});
 *   <li>{@value AuthorizationStates#PROCESSING_GROUP}: subscribing, with a propagating error handler.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class QuerySideConfiguration {

    @Bean
    public ProjectionPositions projectionPositions(JdbcTemplate jdbc) {
        return new ProjectionPositions(jdbc);
    }

    @Bean
    public ConnectionViewProjection connectionViewProjection(
            JdbcTemplate jdbc,
            ProjectionPositions positions,
            @Value("${latchkey.refresh-ahead:60s}") String refreshAhead) {
        // read as Spring Boot reads the setting ("60s", "PT1M"), without its conversion service
        return new ConnectionViewProjection(jdbc, positions, DurationFormatterUtils.detectAndParse(refreshAhead));
    }

    @Bean
    public ConnectionQueries connectionQueries(JdbcTemplate jdbc) {
        return new ConnectionQueries(jdbc);
    }

    @Bean
    public ApplicationViewProjection applicationViewProjection(JdbcTemplate jdbc, ProjectionPositions positions) {
        return new ApplicationViewProjection(jdbc, positions);
    }

    @Bean
    public ApplicationQueries applicationQueries(JdbcTemplate jdbc) {
        return new ApplicationQueries(jdbc);
    }

    @Bean
    public AuthorizationStates authorizationStates(JdbcTemplate jdbc) {
        return new AuthorizationStates(jdbc);
    }
}
