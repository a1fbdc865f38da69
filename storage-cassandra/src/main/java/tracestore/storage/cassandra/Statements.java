package tracestore.storage.cassandra;

/** Every prepared statement of the backend, prepared once when the storage is built. */
final class Statements {
  final StatementContext ctx;
  final InsertChunk insertChunk;
  final InsertIndexSegment insertIndexSegment;
  final InsertServiceName insertServiceName;
  final InsertOperationName insertOperationName;
  final InsertRemoteServiceName insertRemoteServiceName;
  final InsertTagKey insertTagKey;
  final InsertTagValue insertTagValue;
  final SelectChunks selectChunks;
  final SelectServiceIndex selectServiceIndex;
  final SelectOperationIndex selectOperationIndex;
  final SelectTagIndex selectTagIndex;
  final SelectLegacyTagIndex selectLegacyTagIndex;
  final SelectSegmentFilters selectSegmentFilters;
  final SelectSegmentEntries selectSegmentEntries;
  final SelectLegacyIndexes selectLegacyIndexes;
  final SelectServiceNames selectServiceNames;
  final SelectOperationNames selectOperationNames;
  final SelectRemoteServiceNames selectRemoteServiceNames;
  final SelectTagKeys selectTagKeys;
  final SelectTagValues selectTagValues;
  final SelectReleaseVersion selectReleaseVersion;
  final InsertDictionary insertDictionary;
  final SelectDictionary selectDictionary;

  Statements(StatementContext ctx) {
    this.ctx = ctx;
    insertChunk = new InsertChunk(ctx);
    insertIndexSegment = new InsertIndexSegment(ctx);
    insertServiceName = new InsertServiceName(ctx);
    insertOperationName = new InsertOperationName(ctx);
    insertRemoteServiceName = new InsertRemoteServiceName(ctx);
    insertTagKey = new InsertTagKey(ctx);
    insertTagValue = new InsertTagValue(ctx);
    selectChunks = new SelectChunks(ctx);
    selectServiceIndex = new SelectServiceIndex(ctx);
    selectOperationIndex = new SelectOperationIndex(ctx);
    selectTagIndex = new SelectTagIndex(ctx);
    selectLegacyTagIndex = new SelectLegacyTagIndex(ctx);
    selectSegmentFilters = new SelectSegmentFilters(ctx);
    selectSegmentEntries = new SelectSegmentEntries(ctx);
    selectLegacyIndexes = new SelectLegacyIndexes(ctx);
    selectServiceNames = new SelectServiceNames(ctx);
    selectOperationNames = new SelectOperationNames(ctx);
    selectRemoteServiceNames = new SelectRemoteServiceNames(ctx);
    selectTagKeys = new SelectTagKeys(ctx);
    selectTagValues = new SelectTagValues(ctx);
    selectReleaseVersion = new SelectReleaseVersion(ctx);
    insertDictionary = new InsertDictionary(ctx);
    selectDictionary = new SelectDictionary(ctx);
  }
}
