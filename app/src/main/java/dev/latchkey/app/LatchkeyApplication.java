package dev.latchkey.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Latchkey: OAuth connections for the apps of a workspace, event sourced. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class LatchkeyApplication {

    public static void main(String[] args) {
        SpringApplication.run(LatchkeyApplication.class, args);
    }
}
