package dev.kontract.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.core.DataContract;
import dev.kontract.core.RulePhase;
import dev.kontract.core.Version;
import dev.kontract.core.load.ContractLoader;
import dev.kontract.core.rules.RuleDecision;
import dev.kontract.core.rules.RuleEngine;
import dev.kontract.core.rules.RuleOutcome;
import dev.kontract.core.rules.RuleRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MigrationPlannerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ContractLoader LOADER = new ContractLoader();
    private static final DataContract ACCOUNTS =
            LOADER.load("classpath:contracts/").product("customer.accounts").orElseThrow();
    private static final DataContract PROFILES =
            LOADER.load("classpath:chains/").product("customer.profiles").orElseThrow();

    private static final Version V1_0 = new Version(1, 0);
    private static final Version V2_0 = new Version(2, 0);
    private static final Version V2_1 = new Version(2, 1);
    private static final Version V3_0 = new Version(3, 0);

    @Test
    void plan_designRulesUpgradeThenDowngradeIsIdentity() {
        MigrationPlanner planner = new MigrationPlanner(ACCOUNTS, RuleEngine.defaults());
        JsonNode v1 = json("{\"id\": \"a-1\", \"name\": \"Ada\", \"ssn\": \"123-45-6789\", \"country\": \"GB\"}");

        RuleRun up = planner.plan(V1_0, V2_1).apply(v1);
        RuleRun down = planner.plan(V2_1, V1_0).apply(up.record());

        assertThat(up.isAccepted()).isTrue();
        assertThat(up.record()).isEqualTo(
                json("{\"id\": \"a-1\", \"name\": \"Ada\", \"country\": \"GB\", \"national_id\": \"123-45-6789\"}"));
        assertThat(down.isAccepted()).isTrue();
        assertThat(down.record()).isEqualTo(v1);
        assertThat(v1).isEqualTo(
                json("{\"id\": \"a-1\", \"name\": \"Ada\", \"ssn\": \"123-45-6789\", \"country\": \"GB\"}"));
    }

    @Test
    void plan_stepsNamedAndEmptyWithinAMajor() {
        MigrationPlanner planner = new MigrationPlanner(ACCOUNTS, RuleEngine.defaults());

        assertThat(planner.plan(V2_0, V2_1).isEmpty()).isTrue();
        assertThat(planner.plan(V1_0, V1_0).isEmpty()).isTrue();
        assertThat(planner.plan(V1_0, V2_1).toString())
                .isEqualTo("1.0 -> 2.1: 1 -> 2 (UPGRADE rules of 2.0)");
        assertThat(planner.plan(V2_1, V1_0).toString())
                .isEqualTo("2.1 -> 1.0: 2 -> 1 (DOWNGRADE rules of 2.0)");
    }

    @Test
    void plan_threeMajorChainUpComposes() {
        MigrationPlanner planner = new MigrationPlanner(PROFILES, RuleEngine.defaults());
        JsonNode v1 = json("{\"id\": \"p-1\", \"name\": \"Ada\", \"ssn\": \"123\", \"country\": \"GB\"}");

        MigrationPlan plan = planner.plan(V1_0, V3_0);
        List<String> ran = new ArrayList<>();
        RuleRun run = plan.apply(v1, "customer.profiles", (context, outcome) ->
                ran.add(context.version() + "/" + context.phase() + "/" + outcome.rule().name()));

        assertThat(plan.steps()).extracting(MigrationPlan.Step::toString)
                .containsExactly("1 -> 2 (UPGRADE rules of 2.0)", "2 -> 3 (UPGRADE rules of 3.0)");
        assertThat(run.isAccepted()).isTrue();
        assertThat(run.record()).isEqualTo(
                json("{\"id\": \"p-1\", \"country\": \"GB\", \"national_id\": \"123\", \"full_name\": \"Ada\"}"));
        assertThat(ran).containsExactly(
                "2.0/UPGRADE/changeSsnToNationalId",
                "3.0/UPGRADE/changeNameToFullName",
                "3.0/UPGRADE/nationalIdPresent");
    }

    @Test
    void plan_threeMajorChainDownComposes() {
        MigrationPlanner planner = new MigrationPlanner(PROFILES, RuleEngine.defaults());
        JsonNode v3 = json("{\"id\": \"p-1\", \"full_name\": \"Ada\", \"national_id\": \"123\", \"country\": \"GB\"}");

        MigrationPlan plan = planner.plan(V3_0, V1_0);
        RuleRun run = plan.apply(v3);

        assertThat(plan.steps()).extracting(MigrationPlan.Step::toString)
                .containsExactly("3 -> 2 (DOWNGRADE rules of 3.0)", "2 -> 1 (DOWNGRADE rules of 2.0)");
        assertThat(run.record()).isEqualTo(
                json("{\"id\": \"p-1\", \"country\": \"GB\", \"ssn\": \"123\", \"name\": \"Ada\"}"));
        assertThat(planner.plan(V1_0, V3_0).apply(run.record()).record()).isEqualTo(v3);
    }

    @Test
    void plan_fromMinorOfMiddleMajor() {
        MigrationPlanner planner = new MigrationPlanner(PROFILES, RuleEngine.defaults());

        assertThat(planner.plan(V2_1, V3_0).steps()).extracting(MigrationPlan.Step::toString)
                .containsExactly("2 -> 3 (UPGRADE rules of 3.0)");
        assertThat(planner.plan(V3_0, V2_1).steps()).extracting(MigrationPlan.Step::toString)
                .containsExactly("3 -> 2 (DOWNGRADE rules of 3.0)");
    }

    @Test
    void plan_isBuiltOncePerPair() {
        MigrationPlanner planner = new MigrationPlanner(PROFILES, RuleEngine.defaults());

        assertThat(planner.plan(V1_0, V3_0)).isSameAs(planner.plan(V1_0, V3_0));
    }

    @Test
    void plan_failingMigrationConditionStopsAndNamesTheRule() {
        MigrationPlanner planner = new MigrationPlanner(PROFILES, RuleEngine.defaults());
        JsonNode noSsn = json("{\"id\": \"p-1\", \"name\": \"Ada\"}");

        RuleRun run = planner.plan(V1_0, V3_0).apply(noSsn);

        assertThat(run.decision()).isEqualTo(RuleDecision.REJECT);
        RuleOutcome deciding = run.deciding();
        assertThat(deciding.rule().name()).isEqualTo("nationalIdPresent");
        assertThat(deciding.phase()).isEqualTo(RulePhase.UPGRADE);
        assertThat(deciding.reason()).isEqualTo("condition is false");
    }

    @Test
    void plan_unknownVersionNamesProductAndVersion() {
        MigrationPlanner planner = new MigrationPlanner(ACCOUNTS, RuleEngine.defaults());

        assertThatThrownBy(() -> planner.plan(new Version(4, 0), V1_0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("product customer.accounts has no version 4.0 (the writer's); it has 1.0, 2.0, 2.1");
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
