package dev.kontract.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    @Test
    void parse_andOrder() {
        assertThat(Version.parse("2.10")).isEqualTo(new Version(2, 10));
        assertThat(Version.parse("2.10")).isGreaterThan(Version.parse("2.9"));
        assertThat(Version.parse("3.0")).isGreaterThan(Version.parse("2.10"));
        assertThat(Version.parse("2.1").toString()).isEqualTo("2.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "2.1.0", "v2.1", "02.1", "-1.0", "", " 2.1"})
    void parse_rejectsWhatIsNotMajorDotMinor(String text) {
        assertThatThrownBy(() -> Version.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a version of the form MAJOR.MINOR, e.g. \"2.1\"");
    }

    @Test
    void resolve_majorMeansLatestOfThatMajor() {
        DataContract accounts = new dev.kontract.core.load.ContractLoader().load("classpath:contracts/")
                .product("customer.accounts").orElseThrow();

        assertThat(accounts.resolve("1").version()).isEqualTo(new Version(1, 0));
        assertThat(accounts.resolve("2").version()).isEqualTo(new Version(2, 1));
        assertThatThrownBy(() -> accounts.resolve("3"))
                .hasMessage("product customer.accounts has no version '3'; it has 1.0, 2.0, 2.1");
        assertThatThrownBy(() -> accounts.resolve("2.5"))
                .hasMessage("product customer.accounts has no version '2.5'; it has 1.0, 2.0, 2.1");
    }
}
