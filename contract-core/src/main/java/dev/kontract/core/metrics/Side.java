package dev.kontract.core.metrics;

/** The {@code side} tag of {@code contract.records}. */
public enum Side {
    PRODUCE("produce"),
    CONSUME("consume");

    private final String tag;

    Side(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
