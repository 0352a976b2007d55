package magicvideo.models.convert;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import magicvideo.models.sampling.BetaSchedule;
import magicvideo.models.sampling.PredictionType;
import magicvideo.models.sampling.SchedulerConfig;
import magicvideo.models.sampling.TimestepSpacing;
import magicvideo.models.text.ClipTextConfig;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.vae.VaeConfig;

/**
 * Maps the config.json files of a Stable Diffusion checkpoint in the diffusers layout to our
 * config records, refusing every setting our networks do not implement (naming the field), so
 * that weights which load are also weights that compute what they computed in diffusers.
 */
final class StableDiffusionConfigs {
  private static final String CROSS_DOWN = "CrossAttnDownBlock2D";
  private static final String PLAIN_DOWN = "DownBlock2D";
  private static final String CROSS_UP = "CrossAttnUpBlock2D";
  private static final String PLAIN_UP = "UpBlock2D";

  /** HF's marker of a legacy CLIP config (SD 1.x ships it): pool at the largest id instead. */
  static final int LEGACY_CLIP_EOS_ID = 2;

  private StableDiffusionConfigs() {}

  /** unet/config.json (UNet2DConditionModel) -> the image U-Net (no video additions). */
  static UNetConfig unet(ConfigFile c) throws CheckpointException {
    List<String> down = c.strings("down_block_types");
    List<String> up = c.strings("up_block_types");
    int[] channels = c.integers("block_out_channels");
    if (down.size() != channels.length || up.size() != channels.length) {
      throw c.refuse("down_block_types", "has " + down.size() + " entries and up_block_types "
          + up.size() + ", but block_out_channels has " + channels.length);
    }
    boolean[] cross = new boolean[down.size()];
    for (int i = 0; i < cross.length; i++) {
      cross[i] = switch (down.get(i)) {
        case CROSS_DOWN -> true;
        case PLAIN_DOWN -> false;
        default -> throw c.refuse("down_block_types", "has " + down.get(i) + ": this U-Net "
            + "has " + CROSS_DOWN + " and " + PLAIN_DOWN + " levels only");
      };
    }
    for (int i = 0; i < cross.length; i++) {
      // up block i mirrors down level n-1-i, as in every SD U-Net
      String mirrored = cross[cross.length - 1 - i] ? CROSS_UP : PLAIN_UP;
      if (!up.get(i).equals(mirrored)) {
        throw c.refuse("up_block_types", "has " + up.get(i) + " at " + i + ", but this U-Net's"
            + " up levels mirror down_block_types (expected " + mirrored + ")");
      }
    }
    c.expect("mid_block_type", "UNetMidBlock2DCrossAttn",
        "the mid block is UNetMidBlock2DCrossAttn");
    c.expect("use_linear_projection", false, "transformers project in and out with 1x1 "
        + "convolutions here (SD 1.x), not linear layers (SD 2.x)");
    c.expect("upcast_attention", false, "attention runs in the weights' precision");
    c.expect("only_cross_attention", false, "attn1 is self-attention");
    c.expect("dual_cross_attention", false, "there is one cross-attention per block");
    c.expect("transformer_layers_per_block", 1, "each transformer has one block");
    c.expect("act_fn", "silu", "ResNets use SiLU");
    c.expect("norm_eps", 1e-5, "GroupNorm eps is 1e-5");
    c.expect("flip_sin_to_cos", true, "timestep sinusoids are [cos, sin]");
    c.expect("freq_shift", 0, "timestep frequencies are not shifted");
    c.expect("center_input_sample", false, "inputs are not re-centred");
    c.expect("downsample_padding", 1, "downsamplers pad by 1");
    c.expect("mid_block_scale_factor", 1, "the mid block output is not rescaled");
    c.expect("resnet_time_scale_shift", "default", "the time embedding is added, not scale-shift");
    c.expect("time_embedding_type", "positional", "timesteps are embedded as sinusoids");
    c.expect("conv_in_kernel", 3, "conv_in is 3x3");
    c.expect("conv_out_kernel", 3, "conv_out is 3x3");
    c.expect("attention_type", "default", "attention is plain multi-head attention");
    c.expect("resnet_out_scale_factor", 1, "ResNet outputs are not rescaled");
    c.expect("resnet_skip_time_act", false, "ResNets apply SiLU to the time embedding");
    for (String extra : List.of("class_embed_type", "num_class_embeds", "addition_embed_type",
        "encoder_hid_dim", "time_cond_proj_dim", "time_embedding_dim", "timestep_post_act",
        "projection_class_embeddings_input_dim", "cross_attention_norm", "encoder_hid_dim_type",
        "time_embedding_act_fn", "reverse_transformer_layers_per_block")) {
      c.expect(extra, null, "this U-Net has no such embedding or layer");
    }
    try {
      return new UNetConfig(c.integer("in_channels"), c.integer("out_channels"), channels, cross,
          c.integer("layers_per_block"), c.integer("cross_attention_dim"), heads(c),
          c.integer("norm_num_groups"), null, false, 1, false, false);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(c.file() + ": " + e.getMessage());
    }
  }

  /**
   * Heads of every attention layer: diffusers reads {@code num_attention_heads}, or for SD 1.x's
   * misnamed {@code attention_head_dim} (8 means 8 heads) that field; a list must repeat one
   * value, as this U-Net has one head count for all levels.
   */
  private static int heads(ConfigFile c) throws CheckpointException {
    String field = c.has("num_attention_heads") ? "num_attention_heads" : "attention_head_dim";
    JsonNode value = c.node(field);
    if (value != null && value.isArray()) {
      int[] perLevel = c.integers(field);
      for (int h : perLevel) {
        if (h != perLevel[0]) {
          throw c.refuse(field, "is " + value + ": this U-Net has one head count for all levels");
        }
      }
      return perLevel[0];
    }
    return c.integer(field);
  }

  /** vae/config.json (AutoencoderKL) -> the image VAE (no temporal layers). */
  static VaeConfig vae(ConfigFile c) throws CheckpointException {
    int[] channels = c.integers("block_out_channels");
    checkAll(c, "down_block_types", "DownEncoderBlock2D", channels.length);
    checkAll(c, "up_block_types", "UpDecoderBlock2D", channels.length);
    int in = c.integer("in_channels");
    if (c.integer("out_channels") != in) {
      throw c.refuse("out_channels", "is " + c.integer("out_channels") + ", but the VAE "
          + "decodes to its in_channels (" + in + ")");
    }
    c.expect("act_fn", "silu", "ResNets use SiLU");
    c.expect("mid_block_add_attention", true, "the mid blocks have self-attention");
    c.expect("use_quant_conv", true, "the VAE has quant_conv");
    c.expect("use_post_quant_conv", true, "the VAE has post_quant_conv");
    for (String shift : List.of("shift_factor", "latents_mean", "latents_std")) {
      c.expect(shift, null, "latents are only scaled by scaling_factor");
    }
    try {
      return new VaeConfig(in, c.integer("latent_channels"), channels,
          c.integer("layers_per_block"), c.integer("norm_num_groups"),
          (float) c.number("scaling_factor", VaeConfig.sd15().scalingFactor()), null);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(c.file() + ": " + e.getMessage());
    }
  }

  private static void checkAll(ConfigFile c, String field, String type, int levels)
      throws CheckpointException {
    List<String> types = c.strings(field);
    if (types.size() != levels || types.stream().anyMatch(t -> !t.equals(type))) {
      throw c.refuse(field, "is " + types + ", but this VAE has " + levels + " levels of "
          + type + " (one per block_out_channels entry)");
    }
  }

  /**
   * text_encoder/config.json (CLIPTextModel) -> our config. The end and pad ids come from the
   * tokenizer, which defines them: SD 1.x's config says {@code eos_token_id: 2}, HF's legacy
   * marker for "pool at the largest id", which is the end token of CLIP's vocabulary.
   */
  static ClipTextConfig clipText(ConfigFile c, long endId, long padId) throws CheckpointException {
    int eos = c.integer("eos_token_id", LEGACY_CLIP_EOS_ID);
    if (eos != endId && eos != LEGACY_CLIP_EOS_ID) {
      throw c.refuse("eos_token_id", "is " + eos + ", but the tokenizer's end-of-text token has id "
          + endId);
    }
    String act = c.string("hidden_act", "quick_gelu");
    ClipTextConfig.Activation activation = switch (act) {
      case "quick_gelu" -> ClipTextConfig.Activation.QUICK_GELU;
      case "gelu" -> ClipTextConfig.Activation.GELU;
      default -> throw c.refuse("hidden_act", "is " + act + "; supported: quick_gelu, gelu");
    };
    try {
      return new ClipTextConfig(c.integer("vocab_size"), c.integer("max_position_embeddings"),
          c.integer("hidden_size"), c.integer("num_hidden_layers"),
          c.integer("num_attention_heads"),
          c.integer("intermediate_size"), activation, (float) c.number("layer_norm_eps", 1e-5),
          Math.toIntExact(endId), Math.toIntExact(padId));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(c.file() + " with the tokenizer: " + e.getMessage());
    }
  }

  /**
   * scheduler/scheduler_config.json -> the training noise schedule; absent fields (SD 1.5's file
   * has no prediction_type or timestep_spacing) take Stable Diffusion's values. Fields of one
   * sampler (skip_prk_steps, clip_sample) are ignored: samplers are chosen at generation time.
   */
  static SchedulerConfig scheduler(ConfigFile c) throws CheckpointException {
    SchedulerConfig sd = SchedulerConfig.stableDiffusion();
    c.expect("trained_betas", null, "betas come from beta_schedule");
    c.expect("rescale_betas_zero_snr", false, "betas are not rescaled");
    try {
      return new SchedulerConfig(
          c.integer("num_train_timesteps", sd.numTrainTimesteps()),
          c.number("beta_start", sd.betaStart()),
          c.number("beta_end", sd.betaEnd()),
          BetaSchedule.fromName(c.string("beta_schedule", sd.betaSchedule().configName())),
          PredictionType.fromName(c.string("prediction_type", sd.predictionType().configName())),
          TimestepSpacing.fromName(c.string("timestep_spacing", sd.timestepSpacing().configName())),
          c.integer("steps_offset", sd.stepsOffset()),
          c.bool("set_alpha_to_one", sd.setAlphaToOne()));
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(c.file() + ": " + e.getMessage());
    }
  }
}
