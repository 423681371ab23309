package dev.kontract.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kontract.testkit.KafkaBroker;
import dev.kontract.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The demo as a smoke test of the whole story, on the shared broker. */
@ExtendWith(KafkaBrokerExtension.class)
class DemoIT {

    @Test
    void storyHoldsAndTheReportReconciles(KafkaBroker broker) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = Demo.run(new String[] {"--bootstrap-servers", broker.bootstrapServers(), "--records", "600"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(report).isZero();
        assertThat(report)
                .contains("[2/4] producer v2.0 writes (1% break countryIsIso3166) 300")
                .contains("297 on the topic, 3 dead-lettered")
                .containsPattern("producer \\(v1.0, v2.0\\) +597 +0 +0 +3 +0")
                .containsPattern("consumer pinned to v1 \\(1.0\\) +300 +297 +0 +0 +0 +0 ")
                .containsPattern("consumer pinned to v2 \\(2.1\\) +297 +300 +0 +0 +0 +0 ")
                .contains("holds 3 records")
                .contains("Reconciled: produced 600 = consumed 597 + dead-lettered 3");
    }

    @Test
    void contractsFromKafka_publishesThemAndTheStoryStillReconciles(KafkaBroker broker) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = Demo.run(new String[] {"--contracts-from-kafka", "--bootstrap-servers", broker.bootstrapServers(),
                "--records", "600"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(report).isZero();
        assertThat(report)
                .contains("every client reads them from there (contract.source=kafka:)")
                .contains("\n  published customer.accounts (versions 1.0, 2.0, 2.1) to _kontract.contracts at offset 0\n")
                .contains("\n  published orders.placed (versions 1.0, 1.1) to _kontract.contracts at offset 1\n")
                .contains("\n  published payments.settled (versions 1.0, 2.0) to _kontract.contracts at offset 2\n")
                .contains("\n  publish: 3 products written to _kontract.contracts\n")
                .contains("297 on the topic, 3 dead-lettered")
                .containsPattern("producer \\(v1.0, v2.0\\) +597 +0 +0 +3 +0")
                .containsPattern("consumer pinned to v1 \\(1.0\\) +300 +297 +0 +0 +0 +0 ")
                .containsPattern("consumer pinned to v2 \\(2.1\\) +297 +300 +0 +0 +0 +0 ")
                .contains("Reconciled: produced 600 = consumed 597 + dead-lettered 3");
    }

    @Test
    void helpAndBadArguments() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int help = Demo.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        int bad = Demo.run(new String[] {"--records", "7"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        int unknown = Demo.run(new String[] {"--fast"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        int incomplete = Demo.run(new String[] {"--records"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(help).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--bootstrap-servers HOST:PORT").contains("--records N")
                .contains("--contracts-from-kafka");
        assertThat(bad).isEqualTo(2);
        assertThat(unknown).isEqualTo(2);
        assertThat(incomplete).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--records takes an even number of at least 100, not 7")
                .contains("Unknown option: '--fast'")
                .contains("Missing required parameter for option '--records' (N)");
    }
}
