package tracestore.ingest;

/**
 * A request the receivers refuse as a whole, with a message naming the problem. {@link #reason()}
 * decides the status: {@code MALFORMED} and {@code INVALID_SPANS} are 400, {@code TOO_LARGE} is
 * 413 and {@code UNSUPPORTED_MEDIA_TYPE} is 415 (gRPC: {@code INVALID_ARGUMENT}).
 */
public final class BadRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Reason {
    /** The body is not valid JSON or protobuf of the expected message. */
    MALFORMED,
    /** The body decoded, but no span in it is valid. */
    INVALID_SPANS,
    /** Body, inflated body or span count over a limit. */
    TOO_LARGE,
    /** Content type (or content encoding) the endpoint does not accept. */
    UNSUPPORTED_MEDIA_TYPE
  }

  private final Reason reason;

  public BadRequestException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public BadRequestException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
