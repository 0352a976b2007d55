package magicvideo.models.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import magicvideo.models.sampling.SchedulerConfig;
import magicvideo.models.text.ClipTextConfig;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.text.ClipTokenizer;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.unet.VideoUNet;
import magicvideo.models.vae.VaeConfig;
import magicvideo.models.vae.VideoVae;

/**
 * A Stable Diffusion checkpoint in the diffusers layout ({@code unet/}, {@code vae/},
 * {@code text_encoder/}, {@code tokenizer/}, {@code scheduler/}) whose configs are mapped to ours
 * and whose weight files are checked, header only, against the image networks those configs
 * describe. Opening reads no weights, so a wrong checkpoint fails in a second, before gigabytes
 * are converted.
 */
final class StableDiffusionCheckpoint implements AutoCloseable {
  static final String UNET_WEIGHTS = "unet/diffusion_pytorch_model.safetensors";
  static final String VAE_WEIGHTS = "vae/diffusion_pytorch_model.safetensors";
  static final String TEXT_WEIGHTS = "text_encoder/model.safetensors";
  static final String SCHEDULER_CONFIG = "scheduler/scheduler_config.json";

  /** A buffer HF's CLIPTextModel saves beside its weights (0..76, often I64); rebuilt on use. */
  static final String POSITION_IDS = "text_model.embeddings.position_ids";

  final Path root;
  /** The image U-Net (no video additions). */
  final UNetConfig unet;
  /** The image VAE (no temporal layers). */
  final VaeConfig vae;
  final ClipTextConfig text;
  final SchedulerConfig scheduler;
  final String schedulerOrigin;
  final StableDiffusionTokenizer.Prepared tokenizer;
  final SourceCheckpoint unetWeights;
  final SourceCheckpoint vaeWeights;
  final SourceCheckpoint textWeights;

  private StableDiffusionCheckpoint(Path root, UNetConfig unet, VaeConfig vae, ClipTextConfig text,
      SchedulerConfig scheduler, String schedulerOrigin,
      StableDiffusionTokenizer.Prepared tokenizer,
      SourceCheckpoint unetWeights, SourceCheckpoint vaeWeights, SourceCheckpoint textWeights) {
    this.root = root;
    this.unet = unet;
    this.vae = vae;
    this.text = text;
    this.scheduler = scheduler;
    this.schedulerOrigin = schedulerOrigin;
    this.tokenizer = tokenizer;
    this.unetWeights = unetWeights;
    this.vaeWeights = vaeWeights;
    this.textWeights = textWeights;
  }

  /**
   * Maps the configs, prepares the tokenizer (a converted tokenizer.json goes to {@code staging})
   * and checks every weight file's tensor names and shapes.
   */
  static StableDiffusionCheckpoint open(Path root, Path staging) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new CheckpointException(root + " is not a directory (expected a Stable Diffusion "
          + "checkpoint in the diffusers layout: unet/, vae/, text_encoder/, tokenizer/)");
    }
    ConfigFile unetConfig = ConfigFile.read(root.resolve("unet/config.json"));
    UNetConfig unet = StableDiffusionConfigs.unet(unetConfig);
    ConfigFile vaeConfig = ConfigFile.read(root.resolve("vae/config.json"));
    VaeConfig vae = StableDiffusionConfigs.vae(vaeConfig);
    ConfigFile textConfig = ConfigFile.read(root.resolve("text_encoder/config.json"));
    StableDiffusionTokenizer.Prepared tokenizer = StableDiffusionTokenizer.prepare(
        root.resolve("tokenizer"), textConfig.integer("max_position_embeddings"), staging);
    ClipTextConfig text;
    try (ClipTokenizer opened = ClipTokenizer.open(tokenizer.tokenizerJson(), tokenizer.config())) {
      text = StableDiffusionConfigs.clipText(textConfig, opened.endId(), opened.padId());
    }
    checkAgreement(unetConfig, unet, vae, text);

    Path schedulerFile = root.resolve(SCHEDULER_CONFIG);
    boolean hasScheduler = Files.isRegularFile(schedulerFile);
    SchedulerConfig scheduler = hasScheduler
        ? StableDiffusionConfigs.scheduler(ConfigFile.read(schedulerFile))
        : SchedulerConfig.stableDiffusion();
    String schedulerOrigin = hasScheduler ? schedulerFile.toString()
        : "Stable Diffusion's defaults (no " + SCHEDULER_CONFIG + ")";

    SourceCheckpoint unetWeights = null;
    SourceCheckpoint vaeWeights = null;
    SourceCheckpoint textWeights = null;
    try {
      unetWeights =
          SourceCheckpoint.open(root.resolve(UNET_WEIGHTS), Set.of(), SourceCheckpoint.AS_IS);
      unetWeights.check(new VideoUNet(unet).parameterShapes(), "the U-Net of " + unetConfig.file());
      vaeWeights = SourceCheckpoint.open(root.resolve(VAE_WEIGHTS), Set.of(), LegacyVaeNames::view);
      vaeWeights.check(new VideoVae(vae).parameterShapes(), "the VAE of " + vaeConfig.file());
      textWeights = SourceCheckpoint.open(root.resolve(TEXT_WEIGHTS), Set.of(POSITION_IDS),
          SourceCheckpoint.AS_IS);
      textWeights.check(new ClipTextEncoder(text).parameterShapes(),
          "the CLIP text encoder of " + textConfig.file());
      return new StableDiffusionCheckpoint(root, unet, vae, text, scheduler, schedulerOrigin,
          tokenizer, unetWeights, vaeWeights, textWeights);
    } catch (IOException | RuntimeException e) {
      closeAll(unetWeights, vaeWeights, textWeights);
      throw e;
    }
  }

  /** The networks must fit together: U-Net <-> VAE latents, U-Net <-> text embedding width. */
  private static void checkAgreement(ConfigFile unetConfig, UNetConfig unet, VaeConfig vae,
      ClipTextConfig text) throws CheckpointException {
    int latent = vae.latentChannels();
    if (unet.inChannels() != latent || unet.outChannels() != latent) {
      throw unetConfig.refuse("in_channels", "is " + unet.inChannels() + " and out_channels "
          + unet.outChannels() + ", but a text-to-image U-Net takes and predicts the VAE's "
          + latent + " latent channels (an inpainting or depth U-Net is not a starting point)");
    }
    if (unet.contextDim() != text.hidden()) {
      throw unetConfig.refuse("cross_attention_dim", "is " + unet.contextDim()
          + ", but the text encoder's hidden_size is " + text.hidden());
    }
  }

  @Override
  public void close() throws IOException {
    closeAll(unetWeights, vaeWeights, textWeights);
  }

  private static void closeAll(SourceCheckpoint... sources) throws IOException {
    for (SourceCheckpoint source : sources) {
      if (source != null) {
        source.close();
      }
    }
  }
}
