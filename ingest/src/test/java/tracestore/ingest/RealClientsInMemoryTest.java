package tracestore.ingest;

import tracestore.storage.Storage;
import tracestore.storage.inmemory.InMemoryStorage;

class RealClientsInMemoryTest extends RealClientsContract {
  @Override
  protected Storage newStorage() {
    return new InMemoryStorage();
  }
}
