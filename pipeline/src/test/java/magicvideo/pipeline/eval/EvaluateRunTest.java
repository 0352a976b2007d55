package magicvideo.pipeline.eval;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import magicvideo.models.io.Sha256;
import magicvideo.models.shapes.Caption;
import magicvideo.models.shapes.ShapesWorld;
import magicvideo.transforms.gcs.FakeGcsServer;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.outputs.ModelRef;
import magicvideo.transforms.outputs.OutputLayout;
import magicvideo.transforms.video.VideoEncoder;
import magicvideo.transforms.video.VideoFormat;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * {@code eval} end to end on an output folder laid out as the pipeline writes it (real MP4s from
 * the project's encoder, manifest lines from {@link ManifestEntry}, split over two part files),
 * holding clean renders of the shapes world: every verdict must be right. On a local folder and on
 * a bucket of {@link FakeGcsServer}.
 */
public class EvaluateRunTest {
  private static final Pattern LINK = Pattern.compile("(?:src|href)=\"([^\"]*)\"");
  private static final ModelRef MODEL = new ModelRef("shapes-test", "0", "ab".repeat(32));
  private static final String NOT_SHAPES = "a <b>cat</b> at the piano";

  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  /** Beam retries failed GCS calls with backoff for minutes: fail instead. */
  @Rule public final Timeout timeout = Timeout.seconds(120);

  private final SplittableRandom random = new SplittableRandom(51);
  private final List<ManifestEntry> entries = new ArrayList<>();
  /** The output folder's files by path relative to it, written by {@link #writeLocal}. */
  private final Map<String, byte[]> files = new TreeMap<>();

  @Test
  public void worldClipsScoreFullMarksAndThePageLinksOnlyFilesThatExist() throws IOException {
    Path out = folder.getRoot().toPath();
    List<Caption> captions = ShapesWorld.allCaptions();
    for (int i = 0; i < captions.size(); i += 3) {
      addVideo("v" + i, captions.get(i).text(), captions.get(i));
    }
    addVideo("other", NOT_SHAPES, captions.get(0));
    entries.add(entry("latents", "a red square moving up").setVideo(null)
        .setTensors(OutputLayout.tensorsPath("00001", "latents")).build());
    entries.add(entry("lost", "a red square moving up")
        .setVideo(OutputLayout.videoPath("00001", "lost", "mp4")).build());
    addManifest();
    writeLocal(out);

    RunEvaluation result = evaluate(out, 300);

    JsonNode json = new ObjectMapper().readTree(out.resolve("eval/eval.json").toFile());
    JsonNode report = json.path("report");
    int shapes = (captions.size() + 2) / 3;
    assertEquals(shapes, report.path("all").path("videos").asInt());
    assertTrue(report.path("heldOut").path("videos").asInt() > 0);
    for (String group : new String[] {"seen", "heldOut", "all"}) {
      for (String measure : new String[] {"colour", "shape", "direction", "allThree"}) {
        assertEquals(group + " " + measure, 1.0, report.path(group).path(measure).asDouble(), 0);
      }
    }
    assertTrue(report.path("goalsMet").asBoolean());
    assertEquals(1, report.path("notShapesPrompts").asInt());
    assertEquals(shapes + 3, json.path("manifestEntries").asInt());
    assertEquals(2, json.path("skipped").size());
    assertThat(json.path("skipped").path(0).path("reason").asText(), containsString("no video"));
    assertThat(json.path("skipped").path(1).path("reason").asText(),
        containsString("cannot read videos/00001/lost.mp4"));
    assertEquals(shapes + 1, result.files().size());

    String html = Files.readString(out.resolve("eval/eval.html"));
    List<String> links = links(html);
    assertEquals(2 * (shapes + 1) + 1, links.size()); // strip and video per card, eval.json
    for (String link : links) {
      assertTrue(link + " is linked but missing",
          Files.isRegularFile(out.resolve("eval").resolve(link)));
    }
    assertThat(html, containsString("a &lt;b&gt;cat&lt;/b&gt; at the piano"));
    assertThat(html, not(containsString("<b>cat</b>")));
    assertThat(html, containsString("not a shapes prompt; shows red square moving left"));
    assertThat(html, containsString("<svg"));
  }

  @Test
  public void samplesLimitsTheStripsButNotTheEvaluation() throws IOException {
    Path out = folder.getRoot().toPath();
    for (int i = 0; i < 5; i++) {
      Caption caption = ShapesWorld.allCaptions().get(10 * i);
      addVideo("v" + i, caption.text(), caption);
    }
    addManifest();
    writeLocal(out);

    evaluate(out, 2);

    try (Stream<Path> strips = Files.list(out.resolve("eval/frames"))) {
      assertEquals(2, strips.count());
    }
    assertThat(Files.readString(out.resolve("eval/eval.html")), containsString("The first 2 of 5"));
    JsonNode json = new ObjectMapper().readTree(out.resolve("eval/eval.json").toFile());
    assertEquals(5, json.path("report").path("all").path("videos").asInt());
    assertTrue(json.path("files").path("v4").path("frames").isNull());
  }

  @Test
  public void aFolderWithoutAManifestFailsClearly() {
    IOException e = assertThrows(IOException.class,
        () -> evaluate(folder.getRoot().toPath(), 300));
    assertThat(e.getMessage(), containsString("no manifest entries"));
    assertFalse(Files.exists(folder.getRoot().toPath().resolve("eval")));
  }

  @Test
  public void evaluatesARunInABucket() throws IOException {
    List<String> strips = new ArrayList<>();
    for (int i = 0; i < 12; i += 4) { // one per held-out pair
      Caption caption = ShapesWorld.heldOutCaptions().get(i);
      String id = caption.text().replace(' ', '-');
      addVideo(id, caption.text(), caption);
      strips.add("run/eval/frames/" + id + ".png");
    }
    addManifest();
    try (FakeGcsServer gcs = FakeGcsServer.start()) {
      files.forEach((path, bytes) -> gcs.putObject("bucket", "run/" + path, bytes, null));

      RunEvaluation result = evaluate("gs://bucket/run", 300, gcs.pipelineArgs());

      assertEquals(1.0, result.report().heldOut().allThree(), 0);
      List<String> written = gcs.objectNames("bucket").stream()
          .filter(name -> name.startsWith("run/eval/")).toList();
      List<String> expected = new ArrayList<>(List.of("run/eval/eval.html", "run/eval/eval.json"));
      expected.addAll(strips);
      assertEquals(expected.stream().sorted().toList(), written);
      String json = new String(
          gcs.objectBytes("bucket", "run/eval/eval.json"), StandardCharsets.UTF_8);
      assertThat(json, containsString("\"output\" : \"gs://bucket/run\""));
      assertEquals(List.of(), gcs.unhandledCalls());
    } finally {
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    }
  }

  private RunEvaluation evaluate(Path out, int samples) throws IOException {
    return evaluate(out.toString(), samples);
  }

  private RunEvaluation evaluate(String out, int samples, String... extraArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("--output=" + out, "--samples=" + samples));
    args.addAll(List.of(extraArgs));
    EvaluateOptions options = PipelineOptionsFactory
        .fromArgs(args.toArray(String[]::new))
        .as(EvaluateOptions.class);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    RunEvaluation result =
        EvaluateRun.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(printed.toString(StandardCharsets.UTF_8), containsString("eval.html"));
    return result;
  }

  /** Encodes a 16-frame, 32-pixel clip of {@code shown} and lists it under {@code prompt}. */
  private void addVideo(String id, String prompt, Caption shown) {
    byte[] mp4 = VideoEncoder.encode(
        ShapesWorld.render(ShapesWorld.sample(shown, random), 16, 32, 8), VideoFormat.MP4);
    String video = OutputLayout.videoPath("00000", id, "mp4");
    files.put(video, mp4);
    entries.add(entry(id, prompt).setVideo(video).setBytes(mp4.length)
        .setSha256(Sha256.of(mp4)).build());
  }

  private static ManifestEntry.Builder entry(String id, String prompt) {
    return ManifestEntry.builder()
        .setId(id)
        .setPrompt(prompt)
        .setSeed(1)
        .setModel(MODEL)
        .setSampler("ddim")
        .setSteps(50)
        .setGuidance(7.5)
        .setKeyframes(16)
        .setFrames(16)
        .setFps(8)
        .setWidth(32)
        .setHeight(32)
        .setBytes(0)
        .setSha256("0".repeat(64));
  }

  /** The entries as manifest files, split over two parts as TextIO shards them. */
  private void addManifest() {
    StringBuilder[] parts = {new StringBuilder(), new StringBuilder()};
    for (int i = 0; i < entries.size(); i++) {
      parts[i % 2].append(entries.get(i).toJsonLine()).append('\n');
    }
    for (int p = 0; p < parts.length; p++) {
      files.put(OutputLayout.MANIFEST_DIR + "/run-0000" + p + "-of-00002.jsonl",
          parts[p].toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private void writeLocal(Path out) throws IOException {
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      Path path = out.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.write(path, file.getValue());
    }
  }

  private static List<String> links(String html) {
    List<String> links = new ArrayList<>();
    Matcher m = LINK.matcher(html);
    while (m.find()) {
      links.add(m.group(1));
    }
    return links;
  }
}
