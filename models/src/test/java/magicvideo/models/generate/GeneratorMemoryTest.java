package magicvideo.models.generate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import magicvideo.models.bench.ProcessMemory;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Issue 3: a long-lived generator (one per Beam worker thread, alive for the whole job) must not
 * grow native memory from call to call. DJL frees a tensor only when its manager closes, so a
 * forgotten scope or a parameter view that joins the weights' manager leaks on every call; 100
 * generations make that visible in DJL's count of live arrays (exactly) and in the resident set.
 *
 * <p>The super-resolution stage is left out (it would make the test ~3x slower and uses the same
 * U-Net and scope code as the other diffusion stages); one step per stage keeps 110 generations of
 * the tiny model under ~30 s on 2 shared cores.
 */
public class GeneratorMemoryTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final int WARM_UP = 10;
  private static final int GENERATIONS = 100;
  /**
   * Allowed RSS growth over the 100 generations. A leak of only the 3 tiny-model latent clips of
   * each call is 100 x ~25 KB; a leaked call scope holds every activation (~4 MB per generation,
   * 400 MB over the loop). The bound leaves room for the JVM heap's own growth (JIT code, young
   * generation resizing: measured a few MB) and malloc arena noise, and is far below a real leak.
   */
  private static final long RSS_BOUND = 64L << 20;

  private static final GenerationSettings ONE_STEP = GenerationSettings.defaults().withSteps(1).withStageSteps(1, 1);

  @Test
  public void hundredGenerationsLeaveNativeMemoryFlat() throws Exception {
    Path dir = TMP.getRoot().toPath().resolve("tiny");
    RandomModels.writeTiny(dir, 3);
    try (VideoGenerator generator =
        VideoGenerator.open(dir, EnumSet.of(Stage.KEYFRAMES, Stage.INTERPOLATE, Stage.DECODE))) {
      for (int i = 0; i < WARM_UP; i++) {
        generate(generator, i);
      }
      int arraysBefore = ProcessMemory.liveArrays();
      long rssBefore = ProcessMemory.residentBytes();
      long t0 = System.nanoTime();
      for (int i = 0; i < GENERATIONS; i++) {
        generate(generator, WARM_UP + i);
      }
      long rssAfter = ProcessMemory.residentBytes();
      int arraysAfter = ProcessMemory.liveArrays();
      System.out.printf("memory test: %d generations in %.1f s; RSS %d -> %d MB; live NDArrays %d -> %d%n",
          GENERATIONS, (System.nanoTime() - t0) / 1e9, rssBefore >> 20, rssAfter >> 20, arraysBefore, arraysAfter);
      assertEquals("NDArrays left open by " + GENERATIONS + " generations (a scope or a parameter view leaks)",
          arraysBefore, arraysAfter);
      assertTrue("resident memory grew by " + ((rssAfter - rssBefore) >> 20) + " MB over " + GENERATIONS
          + " generations (bound " + (RSS_BOUND >> 20) + " MB)", rssAfter - rssBefore < RSS_BOUND);
    }
  }

  private static void generate(VideoGenerator generator, long seed) {
    VideoRequest request = new VideoRequest("v" + seed, "a red circle moving left", "a blue square", seed);
    List<?> videos = generator.generate(List.of(request), ONE_STEP);
    assertEquals(1, videos.size());
  }
}
