/**
 * The storage contract suite: abstract JUnit 5 classes, one per SPI capability, that every backend
 * runs unchanged from one {@code *ContractTest} class with a {@code @Nested} subclass per suite (see
 * {@code docs/spi.md}). Published in storage-api's test-jar.
 */
package tracestore.storage.contract;
