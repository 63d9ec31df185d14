package dev.latchkey.app.persistence;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/** Whether {@code spring.datasource.url} names a database; an empty value counts as unset. */
abstract class DataSourceUrlCondition extends SpringBootCondition {

    static final String PROPERTY = "spring.datasource.url";

    private final boolean matchWhenSet;

    DataSourceUrlCondition(boolean matchWhenSet) {
        this.matchWhenSet = matchWhenSet;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        boolean set = isSet(context.getEnvironment());
        String message = PROPERTY + (set ? " is set" : " is not set");
        return set == matchWhenSet ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }

    static boolean isSet(Environment environment) {
        return StringUtils.hasText(environment.getProperty(PROPERTY));
    }

    static final class Present extends DataSourceUrlCondition {
        Present() {
            super(true);
        }
    }

    static final class Absent extends DataSourceUrlCondition {
        Absent() {
            super(false);
        }
    }
}
