/**
 * The in-memory reference store: the storage SPI implemented as literally as its Javadoc reads, to
 * prove the contract suite before any database does. Test code only, never shipped; other modules'
 * tests may use it through storage-api's test-jar.
 */
package tracestore.storage.inmemory;
