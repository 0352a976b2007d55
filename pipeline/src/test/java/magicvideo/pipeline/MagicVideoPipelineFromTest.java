package magicvideo.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import magicvideo.pipeline.OptionChecks.InvalidOptionsException;
import magicvideo.transforms.outputs.ManifestEntry;
import magicvideo.transforms.video.VideoInfo;
import magicvideo.transforms.video.VideoProbe;
import org.apache.beam.sdk.PipelineResult;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code --from}: a run stopped after the keyframes, continued by a second run to videos. */
public class MagicVideoPipelineFromTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  private static final String PROMPTS = "a red circle moving left\na blue square moving up\n";

  /** The first row alone: in a file of the same name, the same id and seed as in {@link #PROMPTS}. */
  private static final String FIRST_PROMPT = "a red circle moving left\n";

  /** 16x16 keyframes (the tiny model's default is larger) keep three runs near 30 s. */
  private static final List<String> SMALL = List.of("--width=16", "--height=16");

  /**
   * Keyframes into A, then A's tensors to videos in B; a direct run of the first prompt into C
   * makes the same video byte for byte, since a video's noise comes from its seed alone (batches
   * of one). C has one prompt only, to save a third of its time.
   */
  @Test
  public void videosContinuedFromKeyframesEqualThoseOfADirectRun() throws IOException {
    Path root = folder.getRoot().toPath();
    Path prompts = Files.writeString(root.resolve("prompts.txt"), PROMPTS);
    Path a = root.resolve("a");
    Path b = root.resolve("b");
    Path c = root.resolve("c");

    Path first =
        Files.writeString(Files.createDirectories(root.resolve("first")).resolve("prompts.txt"), FIRST_PROMPT);

    assertEquals(PipelineResult.State.DONE, run(withPrompts(prompts, a, "--until=keyframes")));
    assertEquals(PipelineResult.State.DONE, run(fromFolder(a, b)));
    assertEquals(PipelineResult.State.DONE, run(withPrompts(first, c)));

    Map<String, ManifestEntry> keyframes = JobOutputs.manifest(a);
    Map<String, ManifestEntry> continued = JobOutputs.manifest(b);
    ManifestEntry direct = JobOutputs.manifest(c).values().iterator().next();
    assertEquals(2, keyframes.size());
    assertEquals(keyframes.keySet(), continued.keySet());
    for (ManifestEntry entry : continued.values()) {
      assertNull(entry.getTensors());
      assertNotNull(entry.getVideo());
      assertEquals(keyframes.get(entry.getId()).getPrompt(), entry.getPrompt());
      VideoInfo video = VideoProbe.probe(b.resolve(entry.getVideo()));
      assertEquals(direct.getFrames(), video.frames());
      assertEquals(entry.getFrames(), video.frames());
      assertThat("interpolated beyond the 4 keyframes", video.frames(), greaterThan(4));
      assertEquals(
          "the keyframes' seconds are kept",
          keyframes.get(entry.getId()).getStageSeconds().get("keyframes"),
          entry.getStageSeconds().get("keyframes"));
    }
    assertEquals("same seed, same video", direct.getSha256(), continued.get(direct.getId()).getSha256());
    assertEquals(List.of(), JobOutputs.jsonLines(b.resolve("failures")));
  }

  @Test
  public void fromRefusesPromptsToo() throws IOException {
    Path root = folder.getRoot().toPath();
    Path prompts = Files.writeString(root.resolve("prompts.txt"), PROMPTS);
    MagicVideoOptions both = withPrompts(prompts, root.resolve("b"), "--from=" + root.resolve("a"));

    InvalidOptionsException e = assertThrows(InvalidOptionsException.class, () -> run(both));

    assertThat(e.getMessage(), containsString("--prompts and --from exclude each other"));
  }

  @Test
  public void fromAFolderWithoutManifestIsRefused() throws IOException {
    Path empty = Files.createDirectories(folder.getRoot().toPath().resolve("a"));

    InvalidOptionsException e =
        assertThrows(InvalidOptionsException.class, () -> run(fromFolder(empty, empty.resolveSibling("b"))));

    assertThat(e.getMessage(), containsString("--from=" + empty + " is not the output folder of an earlier run"));
  }

  private static MagicVideoOptions withPrompts(Path prompts, Path out, String... extra) {
    List<String> args = JobOutputs.fastArgs(prompts, out);
    args.addAll(SMALL);
    args.addAll(List.of(extra));
    return MagicVideoOptionsTest.parse(args.toArray(String[]::new));
  }

  /** The fast flags with {@code --from} in place of {@code --prompts}. */
  private static MagicVideoOptions fromFolder(Path from, Path out) {
    List<String> args = JobOutputs.fastArgs(Path.of("unused"), out);
    args.removeIf(arg -> arg.startsWith("--prompts="));
    args.addAll(SMALL);
    args.add("--from=" + from);
    return MagicVideoOptionsTest.parse(args.toArray(String[]::new));
  }

  private static PipelineResult.State run(MagicVideoOptions options) throws IOException {
    return MagicVideoPipeline.run(options, new PrintStream(OutputStream.nullOutputStream())).getState();
  }
}
