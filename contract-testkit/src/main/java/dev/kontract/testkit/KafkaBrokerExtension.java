package dev.kontract.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Supplies a running {@link KafkaBroker} to test methods and constructors that declare one. One
 * broker of each kind is started per test JVM, on first use, and stopped (JUnit closes it as an
 * {@link AutoCloseable} in the root store) when the run ends, so tests
 * share it and keep to their own topics and groups.
 *
 * <p>Classes annotated {@link DockerKafka} get the container broker and are disabled (reported as
 * skipped) where no Docker engine answers; all others get the embedded KRaft broker.
 */
public final class KafkaBrokerExtension implements ParameterResolver, ExecutionCondition {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!wantsContainer(context)) {
            return ConditionEvaluationResult.enabled("uses the embedded KRaft broker");
        }
        return ContainerKafkaBroker.dockerAvailable()
                ? ConditionEvaluationResult.enabled("a Docker engine answers")
                : ConditionEvaluationResult.disabled("no Docker engine answers: skipped the apache/kafka container tests");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        if (wantsContainer(context)) {
            return store.getOrComputeIfAbsent(ContainerKafkaBroker.class, key -> ContainerKafkaBroker.start(), KafkaBroker.class);
        }
        return store.getOrComputeIfAbsent(EmbeddedKafkaBroker.class, key -> EmbeddedKafkaBroker.start(), KafkaBroker.class);
    }

    private static boolean wantsContainer(ExtensionContext context) {
        return context.getTestClass()
                .map(type -> AnnotationSupport.isAnnotated(type, DockerKafka.class))
                .orElse(false);
    }
}
