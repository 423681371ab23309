package dev.kontract.serde.internal;

import dev.kontract.core.ContractVersion;
import dev.kontract.core.DataContract;
import dev.kontract.core.Rule;
import dev.kontract.core.RulePhase;
import dev.kontract.core.format.RecordCodec;
import dev.kontract.core.rules.RuleChain;
import dev.kontract.core.rules.RuleEngine;
import dev.kontract.serde.ContractHeaders;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One contract version ready to run: its codec, its compiled write and read rules, and its product
 * headers as bytes, shared by every record.
 */
public final class VersionRuntime {

    private static final String DLQ = "DLQ";

    private final DataContract contract;
    private final ContractVersion version;
    private final String text;
    private final RecordCodec codec;
    private final RuleChain writeRules;
    private final RuleChain readRules;
    private final byte[] productBytes;
    private final byte[] versionBytes;
    private final Header[] productHeaders;

    VersionRuntime(DataContract contract, ContractVersion version, RuleEngine engine) {
        this.contract = contract;
        this.version = version;
        this.text = version.version().toString();
        this.codec = RecordCodec.of(version.schema());
        this.writeRules = engine.chain(version.ruleSet(), RulePhase.WRITE);
        this.readRules = engine.chain(version.ruleSet(), RulePhase.READ);
        this.productBytes = HeaderText.utf8(contract.product());
        this.versionBytes = HeaderText.utf8(text);
        this.productHeaders = new Header[] {
            new RecordHeader(ContractHeaders.PRODUCT, productBytes),
            new RecordHeader(ContractHeaders.VERSION, versionBytes),
            new RecordHeader(ContractHeaders.OWNER, HeaderText.utf8(contract.owner())),
            new RecordHeader(ContractHeaders.DOMAIN, HeaderText.utf8(contract.domain()))
        };
    }

    public ContractVersion version() {
        return version;
    }

    public String text() {
        return text;
    }

    public String product() {
        return contract.product();
    }

    public RecordCodec codec() {
        return codec;
    }

    public RuleChain writeRules() {
        return writeRules;
    }

    public RuleChain readRules() {
        return readRules;
    }

    /**
     * Replaces the {@code dp.*} product headers with this version's. The header objects are built once
     * and shared by every record: Kafka never changes a header after it is added. Headers that already
     * hold this version's values are left alone: a record sent again has read-only headers.
     */
    public void tag(Headers headers) {
        if (!headers.iterator().hasNext()) {
            for (Header header : productHeaders) {
                headers.add(header);
            }
            return;
        }
        for (Header header : productHeaders) {
            Header present = headers.lastHeader(header.key());
            if (present != null && Arrays.equals(present.value(), header.value())) {
                continue;
            }
            if (present != null) {
                headers.remove(header.key());
            }
            headers.add(header);
        }
    }

    /** Whether {@code value} is this version's {@code dp.version}, compared without decoding it. */
    boolean isVersion(byte[] value) {
        return Arrays.equals(value, versionBytes);
    }

    /** Whether {@code value} is this product's {@code dp.product}, compared without decoding it. */
    boolean isProduct(byte[] value) {
        return Arrays.equals(value, productBytes);
    }

    private static boolean isDeadLetter(Rule rule, RulePhase phase) {
        return DLQ.equalsIgnoreCase(rule.onFailureIn(phase)) || DLQ.equalsIgnoreCase(rule.onSuccessIn(phase));
    }

    /** The rules of {@code phase} whose action names the dead-letter topic. */
    public java.util.List<Rule> deadLetterRules(RulePhase phase) {
        return version.ruleSet().rulesFor(phase).stream().filter(rule -> isDeadLetter(rule, phase)).toList();
    }
}
