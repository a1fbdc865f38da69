package tracestore.storage.contract;

import org.junit.jupiter.api.Nested;
import tracestore.storage.Storage;

/**
 * The whole contract suite bound to one backend: a backend's test extends this, says how to open
 * and empty its storage, and inherits every contract class as a {@code @Nested} test class, so no
 * backend can forget one.
 */
public abstract class ContractSuite {
  /** Opens the backend under test; called once per contract class (see {@link StorageContract}). */
  protected abstract Storage newStorage();

  /** Removes all stored data of {@code storage} (chunks, index entries, names). */
  protected abstract void clear(Storage storage);

  @Nested
  class Writer extends SpanWriterContract {
    @Override
    protected Storage newStorage() {
      return ContractSuite.this.newStorage();
    }

    @Override
    protected void clear() {
      ContractSuite.this.clear(storage);
    }
  }

  @Nested
  class Reader extends TraceReaderContract {
    @Override
    protected Storage newStorage() {
      return ContractSuite.this.newStorage();
    }

    @Override
    protected void clear() {
      ContractSuite.this.clear(storage);
    }
  }

  @Nested
  class Search extends SearchContract {
    @Override
    protected Storage newStorage() {
      return ContractSuite.this.newStorage();
    }

    @Override
    protected void clear() {
      ContractSuite.this.clear(storage);
    }
  }

  @Nested
  class Names extends NamesContract {
    @Override
    protected Storage newStorage() {
      return ContractSuite.this.newStorage();
    }

    @Override
    protected void clear() {
      ContractSuite.this.clear(storage);
    }
  }

  @Nested
  class Verified extends VerifiedSearchContract {
    @Override
    protected Storage newStorage() {
      return ContractSuite.this.newStorage();
    }

    @Override
    protected void clear() {
      ContractSuite.this.clear(storage);
    }
  }

  @Nested
  class Dictionaries extends DictionaryContract {
    @Override
    protected Storage newStorage() {
      return ContractSuite.this.newStorage();
    }

    @Override
    protected void clear() {
      ContractSuite.this.clear(storage);
    }
  }
}
