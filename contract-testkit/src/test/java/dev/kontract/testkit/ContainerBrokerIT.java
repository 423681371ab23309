package dev.kontract.testkit;

/** The fixture scenarios on the apache/kafka image; skipped where no Docker engine answers. */
@DockerKafka
class ContainerBrokerIT extends BrokerRoundTripScenarios {}
