package dev.latchkey.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.query.application.ApplicationQueries;
import dev.latchkey.query.application.ApplicationViewProjection;
import dev.latchkey.query.authorization.AuthorizationStates;
import dev.latchkey.query.connection.ConnectionQueries;
import dev.latchkey.query.connection.ConnectionViewProjection;
import dev.latchkey.query.projection.ProjectionPositions;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

class QuerySideConfigurationTest {

    @Test
    void importedConfigurationGivesEveryProjectionAndQueryHandlerFromAJdbcTemplate() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.registerBean(JdbcTemplate.class, TestDatabase::jdbc);
            context.register(QuerySideConfiguration.class);
            context.refresh();

            assertThat(context.getBeansOfType(ConnectionViewProjection.class)).hasSize(1);
            assertThat(context.getBeansOfType(ApplicationViewProjection.class)).hasSize(1);
            assertThat(context.getBeansOfType(AuthorizationStates.class)).hasSize(1);
            assertThat(context.getBeansOfType(ConnectionQueries.class)).hasSize(1);
            assertThat(context.getBeansOfType(ApplicationQueries.class)).hasSize(1);
            assertThat(context.getBeansOfType(ProjectionPositions.class)).hasSize(1);
        }
    }
}
