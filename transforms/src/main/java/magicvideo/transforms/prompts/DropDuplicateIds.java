package magicvideo.transforms.prompts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps one row per id across all files: the one with the lowest (source, line), so the winner does
 * not depend on the order in which workers read files. The others become {@link
 * FailureKind#DUPLICATE_ID} failures that point at the winner.
 */
final class DropDuplicateIds extends PTransform<PCollection<PromptRequest>, PCollectionTuple> {
  static final TupleTag<PromptRequest> UNIQUE = new TupleTag<PromptRequest>("unique") {};

  @Override
  public PCollectionTuple expand(PCollection<PromptRequest> rows) {
    return rows.apply(
            "KeyById", WithKeys.of(PromptRequest::getId).withKeyType(TypeDescriptors.strings()))
        .apply("GroupById", GroupByKey.create())
        .apply(
            "KeepFirstOccurrence",
            ParDo.of(new KeepFirstOccurrenceFn())
                .withOutputTags(UNIQUE, TupleTagList.of(ReadPrompts.FAILURES)));
  }

  static final class KeepFirstOccurrenceFn
      extends DoFn<KV<String, Iterable<PromptRequest>>, PromptRequest> {
    private static final Comparator<PromptRequest> FILE_ORDER =
        Comparator.comparing(PromptRequest::getSource).thenComparingLong(PromptRequest::getLine);

    @ProcessElement
    public void processElement(
        @Element KV<String, Iterable<PromptRequest>> rowsWithId, MultiOutputReceiver out) {
      List<PromptRequest> rows = new ArrayList<>();
      rowsWithId.getValue().forEach(rows::add);
      rows.sort(FILE_ORDER);
      PromptRequest first = rows.get(0);
      PromptMetrics.rowsAccepted.inc();
      out.get(UNIQUE).output(first);
      for (PromptRequest duplicate : rows.subList(1, rows.size())) {
        PromptFailure failure =
            PromptFailure.builder()
                .setSource(duplicate.getSource())
                .setLine(duplicate.getLine())
                .setId(duplicate.getId())
                .setFailureKind(FailureKind.DUPLICATE_ID)
                .setReason(
                    "id \""
                        + first.getId()
                        + "\" is already used by "
                        + first.getSource()
                        + " line "
                        + first.getLine())
                .build();
        PromptMetrics.countFailure(failure);
        out.get(ReadPrompts.FAILURES).output(failure);
      }
    }
  }
}
