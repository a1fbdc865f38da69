/**
 * The span model: ids, {@link tracestore.storage.model.Span}, typed tags and logs, and trace assembly.
 *
 * <p>Vocabulary: we say <em>tags</em> (OTel attributes, Zipkin tags) and <em>logs</em> (OTel events,
 * Zipkin annotations). The mapping is documented once, in {@code docs/model.md}. All timestamps and
 * durations are nanoseconds; absent numbers are zero and absent strings are empty, never null.
 */
package tracestore.storage.model;
