package magicvideo.models.generate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import magicvideo.models.VideoFrames;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The single-machine generator end to end on the tiny random model. */
public class VideoGeneratorTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path modelDir;
  private static VideoGenerator generator;

  /** Few steps and 4 keyframes: these tests check plumbing and determinism, not image quality. */
  private static final GenerationSettings FAST =
      GenerationSettings.defaults().withSteps(2).withStageSteps(2, 1).withKeyframes(4);

  @BeforeClass
  public static void createModel() throws Exception {
    modelDir = TMP.getRoot().toPath().resolve("tiny");
    RandomModels.writeTiny(modelDir, 42);
    generator = VideoGenerator.open(modelDir);
  }

  @AfterClass
  public static void closeGenerator() {
    generator.close();
  }

  private static VideoRequest request(String prompt, long seed) {
    return new VideoRequest("v" + seed, prompt, "", seed);
  }

  private static float maxAbsDiff(LatentClip a, LatentClip b) {
    float m = 0;
    for (int i = 0; i < a.data().length; i++) {
      m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
    }
    return m;
  }

  @Test
  public void promptsBecomeFramesOfTheExpectedCountAndSize() {
    List<VideoFrames> videos = generator.generate(
        List.of(request("a red circle moving left", 1), request("a blue square moving up", 2)), FAST);
    assertEquals(2, videos.size());
    for (VideoFrames v : videos) {
      // 4 keyframes + 3 pairs x 3 interpolated = 13 frames; 32x32 decoded, x4 super-resolved
      assertEquals(13, v.frames());
      assertEquals(128, v.height());
      assertEquals(128, v.width());
      assertEquals(8.0, v.fps(), 0);
    }
  }

  @Test
  public void sameSeedSameLatentsBitForBitDifferentSeedDifferent() {
    List<LatentClip> a = generator.keyframes(List.of(request("a red circle moving left", 7)), FAST);
    List<LatentClip> b = generator.keyframes(List.of(request("a red circle moving left", 7)), FAST);
    List<LatentClip> c = generator.keyframes(List.of(request("a red circle moving left", 8)), FAST);
    assertArrayEquals(a.get(0).data(), b.get(0).data(), 0f);
    assertTrue(maxAbsDiff(a.get(0), c.get(0)) > 0.1f);
  }

  @Test
  public void aVideoDoesNotDependOnItsBatchMates() {
    LatentClip alone = generator.keyframes(List.of(request("a red circle moving left", 5)), FAST).get(0);
    LatentClip inBatch = generator.keyframes(
        List.of(request("a green triangle moving down", 9), request("a red circle moving left", 5)), FAST).get(1);
    assertTrue(maxAbsDiff(alone, inBatch) < 1e-4f);
  }

  @Test
  public void theNegativePromptIsWhatTheUnconditionalHalfSees() {
    // guidance 0 keeps only the unconditional prediction, which sees the negative prompt; so it
    // must equal plain conditional sampling (guidance 1) of the negative prompt as the prompt
    VideoRequest guided = new VideoRequest("x", "a red circle moving left", "a blue square moving up", 3);
    LatentClip unconditionalOnly = generator.keyframes(List.of(guided), FAST.withGuidance(0f)).get(0);
    LatentClip negativeAsPrompt =
        generator.keyframes(List.of(request("a blue square moving up", 3)), FAST.withGuidance(1f)).get(0);
    assertTrue(maxAbsDiff(unconditionalOnly, negativeAsPrompt) < 1e-4f);
    LatentClip conditional = generator.keyframes(List.of(guided), FAST.withGuidance(1f)).get(0);
    assertTrue(maxAbsDiff(unconditionalOnly, conditional) > 1e-3f);
  }

  @Test
  public void interpolationKeepsTheKeyframes() {
    List<VideoRequest> req = List.of(request("a white square moving right", 11));
    LatentClip keys = generator.keyframes(req, FAST).get(0);
    LatentClip dense = generator.interpolate(req, List.of(keys), FAST).get(0);
    assertEquals(13, dense.frames());
    int frame = keys.channels() * keys.height() * keys.width();
    for (int k = 0; k < keys.frames(); k++) {
      for (int i = 0; i < frame; i++) {
        assertEquals(keys.data()[k * frame + i], dense.data()[4 * k * frame + i], 0f);
      }
    }
  }

  @Test
  public void clearErrorsForBadSettings() {
    List<VideoRequest> req = List.of(request("a red circle moving left", 1));
    IllegalArgumentException sampler = assertThrows(IllegalArgumentException.class,
        () -> generator.keyframes(req, FAST.withSampler("euler")));
    assertTrue(sampler.getMessage(), sampler.getMessage().contains("euler"));
    IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
        () -> generator.keyframes(req, FAST.withSteps(0)));
    assertTrue(steps.getMessage(), steps.getMessage().contains("steps"));
    IllegalArgumentException guidance = assertThrows(IllegalArgumentException.class,
        () -> generator.keyframes(req, FAST.withGuidance(-1f)));
    assertTrue(guidance.getMessage(), guidance.getMessage().contains("guidance"));
  }

  @Test
  public void aGeneratorOpenedForOneStageRefusesTheOthers() throws Exception {
    try (VideoGenerator decodeOnly = VideoGenerator.open(modelDir, EnumSet.of(Stage.DECODE))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> decodeOnly.keyframes(List.of(request("a red circle moving left", 1)), FAST));
      assertTrue(e.getMessage(), e.getMessage().contains("keyframes"));
      assertFalse(decodeOnly.decode(List.of(new LatentClip(2, 4, 8, 8, new float[2 * 4 * 64])), FAST).isEmpty());
    }
  }
}
