package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import magicvideo.models.io.Sha256;
import magicvideo.transforms.gcs.FakeGcsServer;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.outputs.RunRecord;
import magicvideo.transforms.stages.ModelCache;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * The job end to end on gs:// paths, through {@link MagicVideoPipeline#run} on the DirectRunner:
 * prompts read from, the model copied from and every output written to a bucket of {@link
 * FakeGcsServer}, an in-process fake of the Cloud Storage JSON API, reached through Beam's {@code
 * --gcsEndpoint}. The inputs are uploaded with the google-cloud-storage client, so both clients
 * meet the same objects. Unlike {@link MagicVideoPipelineTest}, the runs encode full videos.
 */
public class MagicVideoPipelineGcsTest {
  private static final String BUCKET = "bucket";
  private static final String PROMPTS = "in/prompts.txt";
  private static final String MODEL = "models/tiny";
  private static final String OUT = "out";

  /**
   * Two videos and two rejected rows (line 2 blank, line 3 too long), not {@link JobOutputs}'s four
   * videos: the 4x upscale dominates the run, ~15 s per 32x32-keyframe video on two cores.
   */
  private static final String PROMPT_ROWS =
      "a red circle moving left\n"
          + "   \n"
          + "a yellow circle moving down, slowly, across a wide black field\n"
          + "a white square moving left\n";

  /** A call of {@link FakeGcsServer#calls()} that read an object's bytes; group 1: its name. */
  private static final Pattern MEDIA_READ =
      Pattern.compile("2\\d\\d GET /download/storage/v1/b/" + BUCKET + "/o/(\\S+) \\{alt=media.*");

  /** Beam retries failed GCS calls with backoff for minutes: fail instead. */
  @Rule public final Timeout timeout = Timeout.seconds(180);

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private FakeGcsServer gcs;
  private Storage storage;

  @Before
  public void uploadPromptsAndModel() throws IOException {
    gcs = FakeGcsServer.start();
    storage = gcs.storageClient();
    storage.create(
        BlobInfo.newBuilder(BUCKET, PROMPTS).setContentType("text/plain").build(),
        PROMPT_ROWS.getBytes(StandardCharsets.UTF_8));
    for (String file : modelFiles()) {
      storage.create(
          BlobInfo.newBuilder(BUCKET, MODEL + "/" + file).build(),
          Files.readAllBytes(TinyModel.directory().resolve(file)));
    }
    // a cold model cache of this test's own, so that the job copies the model from the bucket
    System.setProperty(ModelCache.ROOT_PROPERTY, folder.newFolder("model-cache").toString());
    // the assertions read the bucket through Beam too
    FileSystems.setDefaultPipelineOptions(gcs.pipelineOptions());
  }

  @After
  public void stopFake() throws Exception {
    System.clearProperty(ModelCache.ROOT_PROPERTY);
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    storage.close();
    gcs.close();
  }

  @Test
  public void jobOnABucketWritesEveryOutputThenResumeRegeneratesOnlyWhatWasLost()
      throws IOException {
    RunRecord first = run("--runId=r1");

    assertEquals("DONE", first.state());
    assertEquals(Long.valueOf(2), first.counts().get("magicvideo/videos_done"));
    Map<String, ManifestEntry> manifest = JobOutputs.manifest(gs(OUT));
    assertEquals(2, manifest.size());
    manifest.values().forEach(this::assertListedVideoIsStored);
    String failures = String.join("\n", JobOutputs.jsonLines(gs(OUT + "/failures")));
    assertThat(failures, containsString("\"line\":2,\"id\":null,\"stage\":\"validate\","
        + "\"kind\":\"empty_prompt\""));
    assertThat(failures, containsString("\"line\":3,\"id\":null,\"stage\":\"validate\","
        + "\"kind\":\"prompt_too_long\""));
    assertThat(new String(object(OUT + "/index.html"), StandardCharsets.UTF_8),
        containsString("2 videos; 2 failures"));
    assertThat(hiddenObjects(), empty());
    assertEquals("the model was copied from the bucket", modelFiles(), downloaded(MODEL + "/"));

    ManifestEntry lost = manifest.values().iterator().next();
    storage.delete(BlobId.of(BUCKET, OUT + "/" + lost.getVideo()));
    RunRecord resumed = run("--resume");

    assertEquals(Long.valueOf(1), resumed.counts().get("magicvideo/videos_done"));
    assertEquals(Long.valueOf(1), resumed.counts().get("magicvideo/videos_skipped"));
    Map<String, ManifestEntry> union = JobOutputs.manifest(gs(OUT));
    assertEquals(manifest.keySet(), union.keySet());
    assertEquals("same seed, same video", lost.getSha256(), union.get(lost.getId()).getSha256());
    union.values().forEach(this::assertListedVideoIsStored);
    assertThat(hiddenObjects(), empty());
    assertThat(gcs.unhandledCalls(), empty());
  }

  /**
   * Runs the job on the bucket with {@link JobOutputs}'s fast settings and 16x16 keyframes (a
   * quarter of the tiny model's pixels, which halves the test's time); its run.json after.
   */
  private RunRecord run(String... extra) throws IOException {
    List<String> args = JobOutputs.fastArgs(gs(PROMPTS), gs(OUT), gs(MODEL));
    args.addAll(List.of("--width=16", "--height=16"));
    args.addAll(List.of(gcs.pipelineArgs()));
    args.addAll(List.of(extra));

    PipelineResult result =
        MagicVideoPipeline.run(
            MagicVideoOptionsTest.parse(args.toArray(String[]::new)),
            new PrintStream(OutputStream.nullOutputStream()));

    assertEquals(PipelineResult.State.DONE, result.getState());
    return RunRecord.readFrom(OutputLayout.at(gs(OUT)));
  }

  private void assertListedVideoIsStored(ManifestEntry entry) {
    byte[] video = object(OUT + "/" + entry.getVideo());
    assertEquals(entry.getVideo(), entry.getBytes(), video.length);
    assertEquals(entry.getVideo(), entry.getSha256(), Sha256.of(video));
    object(OUT + "/" + entry.getPreview());
  }

  private byte[] object(String name) {
    byte[] bytes = gcs.objectBytes(BUCKET, name);
    assertNotNull("gs://" + BUCKET + "/" + name + " is missing", bytes);
    return bytes;
  }

  /** The tiny model's file names: model.json, tokenizer.json and the weights. */
  private static Set<String> modelFiles() throws IOException {
    try (Stream<Path> files = Files.list(TinyModel.directory())) {
      return files.map(f -> f.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  /** Names under {@code prefix} of the objects whose contents were read, e.g. "model.json". */
  private Set<String> downloaded(String prefix) {
    Set<String> names = new TreeSet<>();
    for (String call : gcs.calls()) {
      Matcher read = MEDIA_READ.matcher(call);
      if (read.matches() && read.group(1).startsWith(prefix)) {
        names.add(read.group(1).substring(prefix.length()));
      }
    }
    return names;
  }

  /**
   * Objects with a hidden path segment: what atomic writes ({@code .tmp-}), TextIO ({@code
   * .temp-beam-}) and the writability check ({@code .write-check-}) must not leave behind.
   */
  private List<String> hiddenObjects() {
    List<String> hidden = new ArrayList<>();
    for (String name : gcs.objectNames(BUCKET)) {
      if (name.startsWith(".") || name.contains("/.")) {
        hidden.add(name);
      }
    }
    return hidden;
  }

  private static String gs(String name) {
    return "gs://" + BUCKET + "/" + name;
  }
}
