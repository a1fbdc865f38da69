/** Helpers shared by storage-api's packages; not part of the SPI, never used across modules. */
package tracestore.storage.internal;
