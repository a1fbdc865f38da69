package tracestore.storage.inmemory;

import tracestore.storage.Storage;
import tracestore.storage.contract.ContractSuite;

/** Runs the whole contract suite against the reference store: the way every backend binds it. */
class InMemoryContractTest extends ContractSuite {
  @Override
  protected Storage newStorage() {
    return new InMemoryStorage();
  }

  @Override
  protected void clear(Storage storage) {
    ((InMemoryStorage) storage).clear();
  }
}
