package magicvideo.transforms.outputs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import magicvideo.models.generate.Stage;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The tensors an earlier {@code --until} run left in an output folder, for {@code --from}: the
 * manifest entries that name a tensors file, and the stage that wrote them. Read on the launcher
 * before the job starts, through Beam's filesystems.
 *
 * <p>The stage of an entry is the last stage in its {@code stage_seconds}: every GPU stage records
 * its seconds there, and the tensors are written right after the last one, so the launcher learns
 * the stage without opening a tensors file (one read per video would be hours for a million videos
 * on GCS). Workers then check each file's own {@code stage} metadata against it.
 *
 * <p>One folder must hold tensors of one stage: the job resumes all of them after the same stage.
 * A folder that mixes stages (an {@code --until=decode --resume} over an {@code --until=keyframes}
 * run) is refused with the count and an example id per stage, rather than half-handled.
 */
public final class TensorOutputs {
  private final Stage stage;
  private final List<ManifestEntry> entries;

  private TensorOutputs(Stage stage, List<ManifestEntry> entries) {
    this.stage = stage;
    this.entries = entries;
  }

  /**
   * Reads every {@code DIR/manifest/*.jsonl}; entries of finished videos are left out. Throws when
   * a line is not a manifest entry, when no entry has tensors, or when stages are mixed, naming
   * the folder.
   */
  public static TensorOutputs scan(OutputLayout dir) throws IOException {
    requireNonNull(dir, "dir");
    Map<Stage, List<ManifestEntry>> byStage = new LinkedHashMap<>();
    for (ResourceId file : OutputFiles.match(dir.manifestPattern())) {
      OutputFiles.forEachLine(
          file,
          (number, line) -> {
            if (line.isBlank()) {
              return;
            }
            ManifestEntry entry = parse(file, number, line);
            if (entry.getTensors() != null) {
              byStage.computeIfAbsent(stageOf(entry, file, number), s -> new ArrayList<>()).add(entry);
            }
          });
    }
    if (byStage.isEmpty()) {
      throw new IOException(
          "--from="
              + dir.root()
              + " holds no tensors: no line of "
              + dir.manifestPattern()
              + " names a tensors file; give the output folder of a run stopped with --until");
    }
    if (byStage.size() > 1) {
      List<String> stages = new ArrayList<>();
      byStage.forEach(
          (s, listed) ->
              stages.add(
                  s.configName() + " (" + listed.size() + " videos, e.g. " + listed.get(0).getId() + ")"));
      throw new IOException(
          "--from="
              + dir.root()
              + " mixes tensors written after different stages: "
              + String.join(", ", stages)
              + "; a run resumes after one stage: copy each stage's manifest lines and tensors to"
              + " a folder of its own and run --from on each");
    }
    Map.Entry<Stage, List<ManifestEntry>> only = byStage.entrySet().iterator().next();
    return new TensorOutputs(only.getKey(), List.copyOf(only.getValue()));
  }

  /** The stage after which every listed tensors file was written. */
  public Stage stage() {
    return stage;
  }

  /** The manifest entries with tensors, in the order of the manifest files and their lines. */
  public List<ManifestEntry> entries() {
    return entries;
  }

  private static ManifestEntry parse(ResourceId file, long line, String json) throws IOException {
    try {
      return ManifestEntry.fromJsonLine(json);
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "cannot resume from " + file + ": line " + line + " is not a manifest entry: " + e.getMessage(), e);
    }
  }

  /** The last stage, in generation order, that recorded seconds for this entry. */
  private static Stage stageOf(ManifestEntry entry, ResourceId file, long line) throws IOException {
    Stage last = null;
    for (Stage s : Stage.values()) {
      if (entry.getStageSeconds().containsKey(s.configName())) {
        last = s;
      }
    }
    if (last == null) {
      throw new IOException(
          "cannot resume from "
              + file
              + ": line "
              + line
              + " (id "
              + entry.getId()
              + ") has tensors but no stage in stage_seconds "
              + entry.getStageSeconds().keySet());
    }
    return last;
  }
}
