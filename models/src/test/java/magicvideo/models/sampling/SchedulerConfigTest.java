package magicvideo.models.sampling;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.Test;

public class SchedulerConfigTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  public void serialisesWithDiffusersNames() throws Exception {
    String written = json.writeValueAsString(SchedulerConfig.stableDiffusion());
    assertEquals("{\"num_train_timesteps\":1000,\"beta_start\":8.5E-4,\"beta_end\":0.012,"
        + "\"beta_schedule\":\"scaled_linear\",\"prediction_type\":\"epsilon\","
        + "\"timestep_spacing\":\"leading\",\"steps_offset\":1,\"set_alpha_to_one\":false,"
        + "\"rescale_betas_zero_snr\":false}",
        written);
    assertEquals(SchedulerConfig.stableDiffusion(),
        json.readValue(written, SchedulerConfig.class));
  }

  @Test
  public void readsAliasesAndRejectsUnknownNames() throws Exception {
    SchedulerConfig config = json.readValue("{\"num_train_timesteps\":1000,\"beta_start\":0.0001,"
        + "\"beta_end\":0.02,\"beta_schedule\":\"cosine\",\"prediction_type\":\"v\","
        + "\"timestep_spacing\":\"Trailing\",\"steps_offset\":0,\"set_alpha_to_one\":true}",
        SchedulerConfig.class);
    assertEquals(BetaSchedule.COSINE, config.betaSchedule());
    assertEquals(PredictionType.V_PREDICTION, config.predictionType());
    assertEquals(TimestepSpacing.TRAILING, config.timestepSpacing());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BetaSchedule.fromName("quadratic"));
    assertEquals("Unknown beta_schedule 'quadratic'; valid: linear, scaled_linear,"
        + " squaredcos_cap_v2 (also cosine)", e.getMessage());
  }

  @Test
  public void invalidValuesNameTheField() {
    ValueInstantiationException missing = assertThrows(ValueInstantiationException.class,
        () -> json.readValue("{\"num_train_timesteps\":1000,\"beta_start\":0.0001,"
            + "\"beta_end\":0.02,\"beta_schedule\":\"linear\",\"timestep_spacing\":\"leading\"}",
            SchedulerConfig.class));
    assertTrue(missing.getMessage(),
        missing.getMessage().contains("SchedulerConfig prediction_type is missing"));
    IllegalArgumentException betas = assertThrows(IllegalArgumentException.class,
        () -> new SchedulerConfig(1000, 0.02, 0.001, BetaSchedule.LINEAR, PredictionType.EPSILON,
            TimestepSpacing.LEADING, 0, false));
    assertEquals("SchedulerConfig needs 0 <= beta_start <= beta_end < 1, got beta_start 0.02,"
        + " beta_end 0.001", betas.getMessage());
  }

  @Test
  public void samplersAreFoundByNameOrAlias() {
    SchedulerConfig sd = SchedulerConfig.stableDiffusion();
    assertTrue(SamplerKind.fromName("ddim").create(sd) instanceof DdimSampler);
    for (String name : new String[] {"dpmpp-2m", "DPM++2M", "dpmsolver++"}) {
      assertTrue(name,
          SamplerKind.fromName(name).create(sd) instanceof DpmSolverPlusPlusSampler);
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SamplerKind.fromName("euler"));
    assertEquals("Unknown sampler 'euler'; valid: ddim, dpmpp-2m (also dpm++2m, dpmsolver++)",
        e.getMessage());
  }
}
