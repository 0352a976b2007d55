package magicvideo.models.sampling;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * The samplers users choose by name ({@code --sampler dpmpp-2m}). Each {@link #create} returns a
 * fresh sampler, since samplers hold per-generation state.
 */
public enum SamplerKind {
  /** Deterministic DDIM (eta = 0); for eta > 0 construct {@link DdimSampler} directly. */
  DDIM("ddim") {
    @Override
    public Sampler create(SchedulerConfig config) {
      return new DdimSampler(config);
    }
  },
  /** DPM-Solver++ 2M, diffusers' recommended sampler for guided generation. */
  DPMPP_2M("dpmpp-2m", "dpm++2m", "dpmsolver++") {
    @Override
    public Sampler create(SchedulerConfig config) {
      return new DpmSolverPlusPlusSampler(config);
    }
  };

  private final List<String> names;

  SamplerKind(String... names) {
    this.names = List.of(names);
  }

  /** A new sampler of this kind for a model trained with {@code config}. */
  public abstract Sampler create(SchedulerConfig config);

  /** The canonical name, as written to run records. */
  @JsonValue
  public String configName() {
    return names.get(0);
  }

  /**
   * Looks a sampler up by name or alias, case-insensitively.
   *
   * @throws IllegalArgumentException naming the valid samplers when {@code name} is unknown
   */
  @JsonCreator
  public static SamplerKind fromName(String name) {
    return ConfigNames.parse("sampler", name, values(), k -> k.names);
  }
}
