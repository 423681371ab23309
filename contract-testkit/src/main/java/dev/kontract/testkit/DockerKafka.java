package dev.kontract.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Runs a test class's {@link KafkaBroker} parameters against {@link ContainerKafkaBroker} instead
 * of the embedded broker. Tagged {@code docker}; where no Docker engine answers, the class is
 * reported as skipped, not passed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("docker")
public @interface DockerKafka {}
