package tracestore.query;

/** A request the client must fix: answered 400 with the message, which names the parameter. */
final class BadRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  BadRequestException(String message) {
    super(message);
  }
}
