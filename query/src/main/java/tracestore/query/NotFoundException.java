package tracestore.query;

/** The resource does not exist: answered 404 with the message. */
final class NotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NotFoundException(String message) {
    super(message, null, false, false);
  }
}
