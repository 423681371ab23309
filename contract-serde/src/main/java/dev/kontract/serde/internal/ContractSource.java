package dev.kontract.serde.internal;

/**
 * Where a client's contracts come from while it runs: files, loaded once ({@link #fixed}), or a contracts
 * topic that publications change ({@link KafkaContractSource}). Every client releases its source when it
 * closes.
 */
interface ContractSource {

    /** The contracts in force now. */
    LoadedContracts current();

    /** Whether {@link #current()} may change. */
    boolean isLive();

    /**
     * Applies what was published up to now, waiting at most the source's timeout.
     *
     * @return false when the source could not catch up (it is not live, or the topic did not answer)
     */
    boolean catchUp();

    /** Tells the source that this client is done with it. */
    void release();

    /** A source whose contracts never change. */
    static ContractSource fixed(LoadedContracts contracts) {
        return fixed(contracts, () -> {});
    }

    /** The contracts of {@code source} as they are now, for a client that keeps them; released through it. */
    static ContractSource pinned(ContractSource source) {
        return fixed(source.current(), source::release);
    }

    private static ContractSource fixed(LoadedContracts contracts, Runnable release) {
        return new ContractSource() {
            @Override
            public LoadedContracts current() {
                return contracts;
            }

            @Override
            public boolean isLive() {
                return false;
            }

            @Override
            public boolean catchUp() {
                return false;
            }

            @Override
            public void release() {
                release.run();
            }
        };
    }
}
