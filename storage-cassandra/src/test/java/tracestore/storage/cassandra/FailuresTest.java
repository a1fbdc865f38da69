package tracestore.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import tracestore.storage.OverCapacityException;
import tracestore.storage.StorageException;

class FailuresTest {
  @Test
  void nodeDownAndTimeoutsAreRetryableAndKeepTheCause() {
    AllNodesFailedException down = AllNodesFailedException.fromErrors(java.util.List.of());
    StorageException e = Failures.map(new CompletionException(down), "writing");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasCause(down).hasMessageStartingWith("writing: no Cassandra node answered");

    assertThat(Failures.map(new ExecutionException(new DriverTimeoutException("slow")), "reading").isRetryable()).isTrue();
  }

  @Test
  void throttlingIsOverCapacity() {
    StorageException e = Failures.map(new RequestThrottlingException("full"), "writing");
    assertThat(e).isInstanceOf(OverCapacityException.class);
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void aRejectedQueryIsPermanentAndNamesMigrate() {
    StorageException e = Failures.map(new InvalidQueryException(null, "unconfigured table chunks"), "writing");
    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasMessageContaining("tracestore migrate");
    assertThat(Failures.map(new SyntaxError(null, "bad"), "reading").isRetryable()).isFalse();
  }

  @Test
  void ourOwnExceptionsPassThroughUnwrapped() {
    OverCapacityException over = new OverCapacityException("full", null);
    assertThat(Failures.map(new CompletionException(over), "writing")).isSameAs(over);
  }

  @Test
  void unknownNonDriverFailuresArePermanent() {
    assertThat(Failures.map(new IllegalStateException("session closed"), "writing").isRetryable()).isFalse();
  }
}
