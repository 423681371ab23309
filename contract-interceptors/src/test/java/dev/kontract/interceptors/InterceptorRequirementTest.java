package dev.kontract.interceptors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kontract.serde.ContractDeserializer;
import dev.kontract.serde.ContractSerializer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** A contract whose rules dead-letter cannot be used without the interceptor that does it, on either side. */
class InterceptorRequirementTest {

    @Test
    void producerWithoutInterceptorIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> ContractSerializer.builder().source(DeadLetterIT.SOURCE).product(DeadLetterIT.PRODUCT)
                .version("2.0").build().serialize("accounts", new RecordHeaders(), DeadLetterIT.account("2.0", 1, "DE")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Rule countryIsIso3166 of customer.accounts 2.0 sends records to the dead-letter topic; on the"
                        + " producer that needs dev.kontract.interceptors.ContractProducerInterceptor in"
                        + " interceptor.classes (the serializer cannot change a record's topic)");
    }

    @Test
    void consumerWithoutInterceptorIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> ContractDeserializer.builder().source(DeadLetterIT.SOURCE).product(DeadLetterIT.PRODUCT)
                .readerVersion("2.0").build().deserialize("accounts", new RecordHeaders(), new byte[] {0}))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Rule countryIsIso3166 of customer.accounts sends records to the dead-letter topic; on the"
                        + " consumer that needs dev.kontract.interceptors.ContractConsumerInterceptor in"
                        + " interceptor.classes (a deserializer cannot drop a record or see its offset)");
    }

    @Test
    void topicNoContractGovernsIsNamed() {
        assertThatThrownBy(() -> ContractSerializer.builder().source(DeadLetterIT.SOURCE).version("2.0").build()
                .serialize("payments.unknown", new RecordHeaders(), DeadLetterIT.account("2.0", 1, "DE")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("No contract governs topic payments.unknown: no product in " + DeadLetterIT.SOURCE
                        + " lists it in its topics, and contract.product is not set");
    }
}
