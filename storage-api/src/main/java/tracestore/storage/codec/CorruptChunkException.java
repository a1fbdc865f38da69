package tracestore.storage.codec;

import tracestore.storage.StorageException;

/**
 * A stored chunk cannot be decoded: it is truncated, its checksum does not match, or its content
 * breaks the format. The message says what is wrong and at which offset. It is permanent: reading
 * the same bytes again gives the same answer, so it is never retryable.
 */
public final class CorruptChunkException extends StorageException {
  private static final long serialVersionUID = 1L;

  CorruptChunkException(String message) {
    super(message, false, null);
  }

  CorruptChunkException(String message, Throwable cause) {
    super(message, false, cause);
  }

  /** A problem in the fixed header or framing; {@code offset} counts from the payload's first byte. */
  static CorruptChunkException inPayload(String what, int offset) {
    return new CorruptChunkException("corrupt chunk: " + what + " at payload offset " + offset);
  }

  /** A problem in the decompressed body; {@code offset} counts from the body's first byte. */
  static CorruptChunkException inBody(String what, int offset) {
    return new CorruptChunkException("corrupt chunk: " + what + " at body offset " + offset);
  }
}
