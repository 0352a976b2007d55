package magicvideo.pipeline;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class DirectRunnerSettingsTest {
  @Test
  public void modelChecksAreOffUnlessTheUserAsksForThem() {
    DirectOptions options = PipelineOptionsFactory.fromArgs().as(DirectOptions.class);
    assertTrue("Beam's default, which the launcher overrides", options.isEnforceImmutability());

    DirectRunnerSettings.apply(options);

    assertFalse(options.isEnforceImmutability());
    assertFalse(options.isEnforceEncodability());
    assertFalse("run() must return while the job runs, for progress lines", options.isBlockOnRun());
  }

  @Test
  public void aCheckTheUserSetStaysAsSet() {
    DirectOptions options = PipelineOptionsFactory
        .fromArgs("--enforceImmutability=true", "--enforceEncodability=false").as(DirectOptions.class);

    DirectRunnerSettings.apply(options);

    assertTrue(options.isEnforceImmutability());
    assertFalse(options.isEnforceEncodability());
  }
}
