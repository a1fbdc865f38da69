/**
 * The {@code tracestore} command line (picocli): {@code serve}, {@code migrate}, {@code trace show},
 * {@code search} and {@code demo}. Commands parse flags and call plain constructors; picocli stays
 * in this package.
 */
package tracestore.server.cli;
