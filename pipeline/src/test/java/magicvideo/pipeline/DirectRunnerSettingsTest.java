package magicvideo.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class DirectRunnerSettingsTest {
  private static MagicVideoOptions options(String... args) {
    PipelineOptionsFactory.register(MagicVideoOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(MagicVideoOptions.class);
  }

  private static DirectOptions direct(MagicVideoOptions options) {
    return options.as(DirectOptions.class);
  }

  @Test
  public void modelChecksAreOffUnlessTheUserAsksForThem() {
    MagicVideoOptions options = options();
    assertTrue("Beam's default, which the launcher overrides", direct(options).isEnforceImmutability());

    DirectRunnerSettings.apply(options, null, false);

    assertFalse(direct(options).isEnforceImmutability());
    assertFalse(direct(options).isEnforceEncodability());
    assertFalse("run() must return while the job runs, for progress lines", direct(options).isBlockOnRun());
  }

  @Test
  public void aCheckTheUserSetStaysAsSet() {
    MagicVideoOptions options = options("--enforceImmutability=true", "--enforceEncodability=false");

    DirectRunnerSettings.apply(options, null, false);

    assertTrue(direct(options).isEnforceImmutability());
    assertFalse(direct(options).isEnforceEncodability());
  }

  @Test
  public void onTheCpuWithSleepingOpenMpThreadsOneDoFnThreadPerForwardPass() {
    MagicVideoOptions one = options();
    DirectRunnerSettings.apply(one, "passive", false);
    assertEquals(1, direct(one).getTargetParallelism());

    MagicVideoOptions two = options("--maxForwardPassesPerDevice=2");
    DirectRunnerSettings.apply(two, "PASSIVE", false);
    assertEquals(2, direct(two).getTargetParallelism());
  }

  @Test
  public void beamsThreadCountStaysWithSpinningOpenMpThreadsOnAGpuOrWhenTheUserSetIt() {
    int beamDefault = direct(options()).getTargetParallelism();
    assertTrue("Beam's default is at least 3, got " + beamDefault, beamDefault >= 3);

    MagicVideoOptions spinning = options();
    DirectRunnerSettings.apply(spinning, null, false);
    assertEquals(beamDefault, direct(spinning).getTargetParallelism());

    MagicVideoOptions gpu = options();
    DirectRunnerSettings.apply(gpu, "PASSIVE", true);
    assertEquals(beamDefault, direct(gpu).getTargetParallelism());

    MagicVideoOptions chosen = options("--targetParallelism=4");
    DirectRunnerSettings.apply(chosen, "PASSIVE", false);
    assertEquals(4, direct(chosen).getTargetParallelism());
  }
}
