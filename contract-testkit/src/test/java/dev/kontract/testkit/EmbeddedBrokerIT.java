package dev.kontract.testkit;

/** The fixture scenarios on the in-JVM KRaft broker. */
class EmbeddedBrokerIT extends BrokerRoundTripScenarios {}
