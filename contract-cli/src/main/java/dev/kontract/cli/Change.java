package dev.kontract.cli;

/**
 * One change between two states of a product's contracts, as {@code kontract diff} reports it.
 *
 * @param product the product, by its name in the newer state (the older one for a removal)
 * @param classification whether clients and records already written survive the change
 * @param change what changed, e.g. {@code version 1.0 changed in place (schema)}
 * @param reason one line on why it is classified so
 */
record Change(String product, Classification classification, String change, String reason) {

    enum Classification { COMPATIBLE, BREAKING }

    static Change compatible(String product, String change, String reason) {
        return new Change(product, Classification.COMPATIBLE, change, reason);
    }

    static Change breaking(String product, String change, String reason) {
        return new Change(product, Classification.BREAKING, change, reason);
    }

    boolean isBreaking() {
        return classification == Classification.BREAKING;
    }

    @Override
    public String toString() {
        return classification + " " + product + ": " + change + ": " + reason;
    }
}
