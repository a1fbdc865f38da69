package tracestore.storage.inmemory;

import org.junit.jupiter.api.Nested;
import tracestore.storage.Storage;
import tracestore.storage.contract.NamesContract;
import tracestore.storage.contract.SearchContract;
import tracestore.storage.contract.SpanWriterContract;
import tracestore.storage.contract.TraceReaderContract;
import tracestore.storage.contract.VerifiedSearchContract;

/** Runs the whole contract suite against the reference store: the way every backend binds it. */
class InMemoryContractTest {
  @Nested
  class Writer extends SpanWriterContract {
    @Override
    protected Storage newStorage() {
      return new InMemoryStorage();
    }

    @Override
    protected void clear() {
      ((InMemoryStorage) storage).clear();
    }
  }

  @Nested
  class Reader extends TraceReaderContract {
    @Override
    protected Storage newStorage() {
      return new InMemoryStorage();
    }

    @Override
    protected void clear() {
      ((InMemoryStorage) storage).clear();
    }
  }

  @Nested
  class Search extends SearchContract {
    @Override
    protected Storage newStorage() {
      return new InMemoryStorage();
    }

    @Override
    protected void clear() {
      ((InMemoryStorage) storage).clear();
    }
  }

  @Nested
  class Names extends NamesContract {
    @Override
    protected Storage newStorage() {
      return new InMemoryStorage();
    }

    @Override
    protected void clear() {
      ((InMemoryStorage) storage).clear();
    }
  }

  @Nested
  class Verified extends VerifiedSearchContract {
    @Override
    protected Storage newStorage() {
      return new InMemoryStorage();
    }

    @Override
    protected void clear() {
      ((InMemoryStorage) storage).clear();
    }
  }
}
