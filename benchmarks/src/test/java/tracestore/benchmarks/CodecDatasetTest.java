package tracestore.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tracestore.storage.codec.ChunkDecoder;
import tracestore.storage.model.Span;
import tracestore.storage.model.TraceId;

/** The codec benchmark's dataset: the dictionary is trained on other spans than those measured. */
class CodecDatasetTest {
  @Test
  void theDictionaryIsTrainedOnSpansDisjointFromTheMeasuredOnesAndDecodesThem() {
    RealisticTraces generator = new RealisticTraces(CodecDataset.SEED);
    Set<TraceId> training = new HashSet<>();
    for (List<Span> t : generator.traces(CodecDataset.TRAINING_SPANS)) training.add(t.get(0).traceId());
    CodecDataset data = CodecDataset.create();
    assertThat(data.spanCount()).isEqualTo(CodecDataset.SPANS);
    for (List<Span> t : data.traces) assertThat(training).doesNotContain(t.get(0).traceId());
    assertThat(data.dictionary.size()).isPositive();
    long withDictionary = 0;
    long without = 0;
    for (int i = 0; i < data.traces.size(); i++) {
      assertThat(ChunkDecoder.readHeader(data.ours[i]).dictionaryId()).isEqualTo(data.dictionary.id());
      assertThat(ChunkDecoder.decode(data.ours[i], null, data.dictionaries))
          .isEqualTo(ChunkDecoder.decode(data.oursNoDictionary[i]));
      withDictionary += data.ours[i].length;
      without += data.oursNoDictionary[i].length;
    }
    assertThat(withDictionary).isLessThan(without);
  }
}
