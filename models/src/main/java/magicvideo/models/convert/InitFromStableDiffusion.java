package magicvideo.models.convert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import magicvideo.models.generate.DenoiserConfig;
import magicvideo.models.generate.ModelComponents;
import magicvideo.models.io.Flags;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.SafeTensors;
import magicvideo.models.io.SafeTensorsReader;
import magicvideo.models.io.TensorDType;
import magicvideo.models.nn.DirectedTemporalAttention;
import magicvideo.models.nn.Module;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.unet.VideoUNet;
import magicvideo.models.vae.VaeConfig;
import magicvideo.models.vae.VideoVae;

/**
 * Builds a MagicVideo model directory from Stable Diffusion weights in the diffusers layout, as
 * the paper initialises its networks from a text-to-image model:
 *
 * <ul>
 *   <li>text_encoder: SD's CLIP text encoder as it is;
 *   <li>keyframe_unet: SD's U-Net shared by every frame, plus directed temporal attention, frame
 *       adaptors and FPS conditioning, all starting at identity, so on F frames it computes
 *       exactly what SD computes on each frame;
 *   <li>interpolation_unet: the same, with bidirectional temporal attention and conv_in widened
 *       from the latent channels to [noisy latents | keyframe latents | mask]: SD's kernel on the
 *       noisy latents, zeros on the conditioning (the inpainting model's trick), so it starts as
 *       the image model and learns to use the keyframes;
 *   <li>vae: SD's VAE plus the decoder's temporal attention at identity;
 *   <li>superres_unet: SD has none, so either freshly initialised (UNTRAINED, said so in
 *       model.json) or copied from another MagicVideo model ({@code --upscaler}).
 * </ul>
 *
 * Every source tensor must be used and every SD parameter present (checked for all components
 * before any is converted). One component at a time is held in memory, in its own NDManager
 * (SD 1.5's U-Net alone is 3.4 GB in float32), and written to a staging file next to the output.
 */
public final class InitFromStableDiffusion {

  static final String USAGE = "usage: init-from-sd --sd=DIR --output=DIR [--frames=16] "
      + "[--between=3] [--size=256] [--f16] [--upscaler=MODEL_DIR] [--seed=0]\n"
      + "  --sd        Stable Diffusion checkpoint in the diffusers layout (unet/, vae/, "
      + "text_encoder/, tokenizer/, scheduler/)\n"
      + "  --output    the model directory to write (must not exist or be empty)\n"
      + "  --frames    keyframes per clip (frame adaptors are built for this many)\n"
      + "  --between   frames the interpolation U-Net generates between two keyframes\n"
      + "  --size      default frame size in pixels (latents are size / 8 for SD's VAE)\n"
      + "  --f16       write float16 weights (half the size; computation stays float32 on CPU)\n"
      + "  --upscaler  take superres_unet from this MagicVideo model instead of a fresh, "
      + "untrained one\n"
      + "  --seed      seed of the freshly initialised layers";

  /** Frames are upscaled by this (256 -> 1024 in the paper). */
  static final int SUPER_RESOLUTION_FACTOR = 4;

  /** Python loaders (diffusers, transformers) require this metadata in safetensors files. */
  private static final Map<String, String> PYTORCH_FORMAT = Map.of("format", "pt");

  private static final String CONV_IN = "conv_in.weight";

  /** Per component, so no two networks draw their fresh layers from the same streams. */
  private static final long SEED_TEXT_ENCODER = 0;
  private static final long SEED_KEYFRAMES = 1;
  private static final long SEED_INTERPOLATION = 2;
  private static final long SEED_VAE = 3;
  private static final long SEED_SUPER_RESOLUTION = 4;

  /**
   * What to convert and how.
   *
   * @param sd the Stable Diffusion checkpoint directory (diffusers layout)
   * @param output the model directory to write; must not exist or be empty
   * @param keyframes frames per clip of the keyframe U-Net (16 in the paper)
   * @param between frames generated between two keyframes (3: 16 keyframes -> 61 frames)
   * @param frameSize default frame size in pixels of the keyframes (256 in the paper)
   * @param f16 write weights as float16
   * @param upscaler a MagicVideo model directory whose superres_unet is copied, or null
   * @param superResolution the fresh super-resolution U-Net when there is no upscaler (its
   *     context width is set to the text encoder's)
   * @param seed seed of every freshly initialised layer
   */
  public record Options(Path sd, Path output, int keyframes, int between, int frameSize,
      boolean f16, Path upscaler, UNetConfig superResolution, long seed) {

    public Options {
      if (sd == null || output == null || superResolution == null) {
        throw new IllegalArgumentException("sd, output and superResolution are required");
      }
      if (keyframes < 2 || between < 1 || frameSize < 1) {
        throw new IllegalArgumentException("need frames >= 2, between >= 1 and size >= 1, got "
            + keyframes + ", " + between + ", " + frameSize);
      }
    }

    /** The paper's settings: 16 keyframes, 3 between, 256x256 frames, float32, fresh upscaler. */
    public static Options of(Path sd, Path output) {
      return new Options(sd, output, 16, 3, 256, false, null, UNetConfig.sd15SuperResolution(), 0);
    }

    /** Parses {@link #USAGE}'s options; unknown, repeated or malformed ones are refused. */
    public static Options parse(String[] args) {
      Flags given = Flags.parse(args, List.of("sd", "output", "frames", "between", "size", "f16", "upscaler",
          "seed"), Set.of("f16"), null);
      Options defaults = of(Path.of(given.required("sd")), Path.of(given.required("output")));
      return new Options(defaults.sd(), defaults.output(),
          given.intValue("frames", defaults.keyframes()),
          given.intValue("between", defaults.between()),
          given.intValue("size", defaults.frameSize()), given.booleanValue("f16", false),
          given.has("upscaler") ? Path.of(given.get("upscaler", null)) : null,
          defaults.superResolution(), given.intValue("seed", (int) defaults.seed()));
    }

    TensorDType weightType() {
      return f16 ? TensorDType.F16 : TensorDType.F32;
    }
  }

  /**
   * What became of one component.
   *
   * @param source where its weights came from
   * @param sourceTensors tensors taken from the source (all of the source's weights)
   * @param skipped source buffers skipped knowingly
   * @param addedTensors MagicVideo's additions, freshly initialised
   * @param parameters parameters of the component's network
   * @param note anything else the user should know
   */
  public record ConvertedComponent(String component, String source, int sourceTensors,
      List<String> skipped, int addedTensors, long parameters, String note) {

    public String describe() {
      String origin = sourceTensors == 0
          ? "no source, " + addedTensors + " tensors freshly initialised"
          : sourceTensors + " tensors from " + source
              + (skipped.isEmpty() ? "" : " (skipped " + String.join(", ", skipped) + ")")
              + (addedTensors == 0 ? "" : ", + " + addedTensors
                  + " fresh tensors of MagicVideo's additions, identity at start");
      return String.format(Locale.ROOT, "%-19s %,15d parameters: %s%s", component, parameters,
          origin, note.isEmpty() ? "" : "; " + note);
    }
  }

  /** The written model and what happened to each component. */
  public record Report(ModelDirectory model, String tokenizer, String scheduler,
      List<ConvertedComponent> components) {

    public String describe() {
      StringBuilder out = new StringBuilder("wrote " + model.root() + " (model.json sha256 "
          + model.fingerprint() + ")\n");
      components.forEach(c -> out.append("  ").append(c.describe()).append('\n'));
      out.append("  tokenizer: ").append(tokenizer).append('\n');
      out.append("  scheduler: ").append(scheduler).append('\n');
      return out.toString();
    }
  }

  private final Options options;
  private final StableDiffusionCheckpoint sd;
  private final Path staging;
  private final List<ConvertedComponent> converted = new ArrayList<>();

  private InitFromStableDiffusion(Options options, StableDiffusionCheckpoint sd, Path staging) {
    this.options = options;
    this.sd = sd;
    this.staging = staging;
  }

  /** Converts {@code options.sd()} into the model directory {@code options.output()}. */
  public static Report run(Options options) throws IOException {
    Path output = options.output().toAbsolutePath().normalize();
    ModelDirectory.checkTarget(output);
    Files.createDirectories(output.getParent());
    // beside the output, so several gigabytes of staged weights land on the output's disk
    Path staging = Files.createTempDirectory(output.getParent(), "." + output.getFileName() + ".");
    try (StableDiffusionCheckpoint sd = StableDiffusionCheckpoint.open(options.sd(), staging)) {
      return new InitFromStableDiffusion(options, sd, staging).convert(output);
    } finally {
      deleteStaging(staging);
    }
  }

  private Report convert(Path output) throws IOException {
    ModelDirectory.Builder model = ModelDirectory.builder(
        "magicvideo-from-" + sd.root.toAbsolutePath().normalize().getFileName(), "0.1.0",
        description());
    model.tokenizer(sd.tokenizer.tokenizerJson(), sd.tokenizer.config());
    int latentSize = latentSize();
    // first: an --upscaler that does not fit is refused before the long conversions
    addSuperResolution(model);
    addTextEncoder(model);
    addUNets(model, latentSize);
    addVae(model);
    return new Report(model.write(output), sd.tokenizer.origin(), sd.schedulerOrigin,
        List.copyOf(converted));
  }

  private String description() {
    return "MagicVideo initialised from the Stable Diffusion checkpoint " + sd.root.getFileName()
        + ": text encoder and VAE are SD's, keyframe (" + options.keyframes()
        + " frames) and interpolation (" + options.between() + " between) U-Nets are SD's U-Net"
        + " with MagicVideo's temporal attention, frame adaptors and FPS conditioning at identity"
        + " (not yet trained on video). Super-resolution U-Net: " + (options.upscaler() == null
            ? "UNTRAINED, random weights (seed " + (options.seed() + SEED_SUPER_RESOLUTION) + ")"
            : "from " + options.upscaler().toAbsolutePath().normalize());
  }

  private void addTextEncoder(ModelDirectory.Builder model) throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      model.componentFile(ModelComponents.TEXT_ENCODER, sd.text, stage(ModelComponents.TEXT_ENCODER,
          new ClipTextEncoder(sd.text), sd.textWeights.read(m), sd.textWeights, m,
          SEED_TEXT_ENCODER, ""));
    }
  }

  /** Latent rows and columns of the default frame size, which must fit the VAE and U-Net. */
  private int latentSize() {
    int multiple = sd.vae.latentFactor() * sd.unet.sizeMultiple();
    if (options.frameSize() % multiple != 0) {
      throw new IllegalArgumentException("frame size " + options.frameSize() + " must be a "
          + "multiple of " + multiple + " for this checkpoint (VAE factor " + sd.vae.latentFactor()
          + " x U-Net levels " + sd.unet.sizeMultiple() + ")");
    }
    return options.frameSize() / sd.vae.latentFactor();
  }

  /** keyframe_unet and interpolation_unet, both from one read of SD's U-Net. */
  private void addUNets(ModelDirectory.Builder model, int latentSize) throws IOException {
    DenoiserConfig keyframes = new DenoiserConfig(keyframeUNet(sd.unet, options.keyframes()),
        sd.scheduler, latentSize, latentSize, 1);
    DenoiserConfig interpolation = new DenoiserConfig(
        interpolationUNet(sd.unet, options.between()), sd.scheduler, latentSize, latentSize, 1);
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> source = sd.unetWeights.read(m);
      model.componentFile(ModelComponents.KEYFRAME_UNET, keyframes,
          stage(ModelComponents.KEYFRAME_UNET, new VideoUNet(keyframes.unet()), source,
              sd.unetWeights, m, SEED_KEYFRAMES, options.keyframes() + " frames"));
      Map<String, NDArray> widened = new LinkedHashMap<>(source);
      widened.put(CONV_IN, widenInput(source.get(CONV_IN), interpolation.unet().inChannels()));
      model.componentFile(ModelComponents.INTERPOLATION_UNET, interpolation,
          stage(ModelComponents.INTERPOLATION_UNET, new VideoUNet(interpolation.unet()), widened,
              sd.unetWeights, m, SEED_INTERPOLATION, "conv_in widened from "
                  + sd.unet.inChannels() + " to " + interpolation.unet().inChannels()
                  + " input channels (new ones zero), " + interpolation.unet().numFrames()
                  + "-frame windows"));
    }
  }

  /** The image U-Net with MagicVideo's additions for clips of {@code frames} keyframes. */
  static UNetConfig keyframeUNet(UNetConfig image, int frames) {
    return video(image, image.inChannels(), DirectedTemporalAttention.Mode.DIRECTED, frames);
  }

  /**
   * The interpolation U-Net for windows [key, {@code between} new frames, key]: input
   * [noisy latents | keyframe latents | mask], as LatentInterpolation lays it out; attention
   * across the window both ways, since both keyframes are known.
   */
  static UNetConfig interpolationUNet(UNetConfig image, int between) {
    return video(image, 2 * image.inChannels() + 1, DirectedTemporalAttention.Mode.BIDIRECTIONAL,
        between + 2);
  }

  private static UNetConfig video(UNetConfig image, int inChannels,
      DirectedTemporalAttention.Mode temporal, int frames) {
    return new UNetConfig(inChannels, image.outChannels(), image.blockOutChannels(),
        image.crossAttention(), image.layersPerBlock(), image.contextDim(), image.attentionHeads(),
        image.normGroups(), temporal, true, frames, true, false);
  }

  /**
   * SD's conv_in kernel [C, latent, k, k] -> [C, channels, k, k]: the first latent channels (the
   * noisy latents) keep SD's kernel, the rest start at zero, so the output ignores them at first.
   */
  static NDArray widenInput(NDArray kernel, int channels) {
    Shape s = kernel.getShape();
    NDArray zeros = kernel.getManager().zeros(
        new Shape(s.get(0), channels - s.get(1), s.get(2), s.get(3)));
    return kernel.concat(zeros, 1);
  }

  private void addVae(ModelDirectory.Builder model) throws IOException {
    VaeConfig config = sd.vae.withTemporal(DirectedTemporalAttention.Mode.BIDIRECTIONAL);
    try (NDManager m = NDManager.newBaseManager()) {
      model.componentFile(ModelComponents.VAE, config, stage(ModelComponents.VAE,
          new VideoVae(config), sd.vaeWeights.read(m), sd.vaeWeights, m, SEED_VAE, ""));
    }
  }

  /** SD has no super-resolution network: a fresh, untrained one, or --upscaler's. */
  private void addSuperResolution(ModelDirectory.Builder model) throws IOException {
    if (options.upscaler() != null) {
      ModelDirectory upscaler = ModelDirectory.open(options.upscaler());
      DenoiserConfig config = upscaler.config(ModelComponents.SUPERRES_UNET, DenoiserConfig.class);
      int context = config.unet().contextDim();
      if (context != 0 && context != sd.text.hidden()) {
        throw new CheckpointException("the superres_unet of " + upscaler.root() + " attends to "
            + context + "-wide text embeddings, but this text encoder's are " + sd.text.hidden());
      }
      Path weights = upscaler.weightsFile(ModelComponents.SUPERRES_UNET);
      int tensors;
      try (SafeTensorsReader reader = SafeTensorsReader.open(weights)) {
        tensors = reader.tensors().size();
      }
      model.componentFile(ModelComponents.SUPERRES_UNET, config, weights);
      converted.add(new ConvertedComponent(ModelComponents.SUPERRES_UNET, weights.toString(),
          tensors, List.of(), 0, new VideoUNet(config.unet()).parameterCount(), "copied as it is"));
      return;
    }
    UNetConfig unet = options.superResolution().withContextDim(sd.text.hidden());
    int size = options.frameSize() * SUPER_RESOLUTION_FACTOR;
    DenoiserConfig config = new DenoiserConfig(unet, sd.scheduler, size, size,
        SUPER_RESOLUTION_FACTOR);
    try (NDManager m = NDManager.newBaseManager()) {
      model.componentFile(ModelComponents.SUPERRES_UNET, config,
          stage(ModelComponents.SUPERRES_UNET, new VideoUNet(unet), Map.of(), null, m,
              SEED_SUPER_RESOLUTION,
              "UNTRAINED (seed " + (options.seed() + SEED_SUPER_RESOLUTION) + ")"));
    }
  }

  /**
   * Loads {@code source} into {@code target}, every parameter the source lacks (MagicVideo's
   * additions, or all of them without a source) freshly initialised from seed + {@code
   * seedOffset}, and writes the component's staged weights file. Loading checks every name and
   * shape once more.
   *
   * @param from the source file, or null for a network with no source
   */
  private Path stage(String component, Module target, Map<String, NDArray> source,
      SourceCheckpoint from, NDManager m, long seedOffset, String note) throws IOException {
    Set<String> additions = new LinkedHashSet<>(target.parameterShapes().keySet());
    additions.removeAll(source.keySet());
    Map<String, NDArray> weights = new LinkedHashMap<>(source);
    weights.putAll(target.initialValues(m, options.seed() + seedOffset, additions));
    String origin = from == null ? "no source" : from.file().toString();
    target.loadWeights(weights, origin);
    Path file = staging.resolve(component + ModelDirectory.WEIGHTS_SUFFIX);
    SafeTensors.writeArrays(file, target.stateDict(), PYTORCH_FORMAT, options.weightType());
    converted.add(new ConvertedComponent(component, origin, source.size(),
        from == null ? List.of() : from.skipped(), additions.size(), target.parameterCount(),
        note));
    return file;
  }

  /** The staging directory holds only files this class wrote (no subdirectories). */
  private static void deleteStaging(Path staging) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(staging)) {
      for (Path file : files) {
        Files.delete(file);
      }
    }
    Files.delete(staging);
  }

  /** {@code init-from-sd}: see {@link #USAGE}. Exit status 2 for bad options, 1 for bad input. */
  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("init-from-sd: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    try {
      System.out.print(run(options).describe());
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("init-from-sd: " + e.getMessage());
      System.exit(1);
    }
  }
}
