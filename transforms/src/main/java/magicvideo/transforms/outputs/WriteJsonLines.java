package magicvideo.transforms.outputs;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes one JSON line per element to {@code <prefix>-SSSSS-of-NNNNN.jsonl}. TextIO writes to a
 * temporary folder and renames when the whole collection is written, so a reader never sees a
 * partial file under a final name; the run id in the prefix keeps each run's files apart.
 */
final class WriteJsonLines<T> extends PTransform<PCollection<T>, PDone> {
  private final String prefix;
  private final SerializableFunction<T, String> toJsonLine;

  WriteJsonLines(String prefix, SerializableFunction<T, String> toJsonLine) {
    this.prefix = prefix;
    this.toJsonLine = toJsonLine;
  }

  @Override
  public PDone expand(PCollection<T> input) {
    return input
        .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via(toJsonLine))
        .apply("WriteFiles", TextIO.write().to(prefix).withSuffix(OutputLayout.JSON_LINES));
  }
}
