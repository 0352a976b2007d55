package magicvideo.transforms.outputs;

import static java.util.Objects.requireNonNull;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes the run's manifest, {@code OUT/manifest/<runId>-*.jsonl}, one {@link
 * ManifestEntry#toJsonLine()} per video. A run never touches another run's files: a {@code
 * --resume} run adds its own, and the union of all runs' files is the output's manifest.
 */
public final class WriteManifest extends PTransform<PCollection<ManifestEntry>, PDone> {
  private final OutputLayout layout;
  private final String runId;

  private WriteManifest(OutputLayout layout, String runId) {
    this.layout = layout;
    this.runId = runId;
  }

  public static WriteManifest to(OutputLayout layout, String runId) {
    return new WriteManifest(requireNonNull(layout, "layout"), RunIds.checked(runId));
  }

  @Override
  public PDone expand(PCollection<ManifestEntry> entries) {
    return entries.apply(
        "WriteJsonLines",
        new WriteJsonLines<>(layout.manifestPrefix(runId), ManifestEntry::toJsonLine));
  }
}
