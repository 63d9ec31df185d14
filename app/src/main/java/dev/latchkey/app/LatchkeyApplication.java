package dev.latchkey.app;

import dev.latchkey.app.security.DevTokenCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Latchkey: OAuth connections for the apps of a workspace, event sourced. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LatchkeyApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(DevTokenCommand.NAME)) {
            DevTokenCommand.run(args);
            return;
        }
        SpringApplication.run(LatchkeyApplication.class, args);
    }
}
