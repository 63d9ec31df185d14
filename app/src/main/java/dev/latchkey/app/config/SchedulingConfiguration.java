package dev.latchkey.app.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Background work runs on Spring's scheduler: the scheduled refresh and each store's cleanup of expired rows. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SchedulingConfiguration {}
