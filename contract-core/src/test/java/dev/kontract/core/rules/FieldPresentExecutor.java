package dev.kontract.core.rules;

import dev.kontract.core.Rule;
import tools.jackson.databind.node.BooleanNode;

/** A rule type registered through META-INF/services, to prove discovery: true when field {@code expr} is present. */
public final class FieldPresentExecutor implements RuleExecutor {

    @Override
    public String type() {
        return "FIELD_PRESENT";
    }

    @Override
    public CompiledRule compile(Rule rule, EvaluationLimits limits) {
        String field = rule.expr();
        return record -> BooleanNode.valueOf(record.has(field));
    }
}
