package magicvideo.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import magicvideo.models.generate.RandomModels;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.ModelManifest;
import magicvideo.models.io.Sha256;
import magicvideo.transforms.outputs.ModelRef;
import magicvideo.transforms.stages.ModelCache;

/**
 * Turns {@code --model} into a model directory, in one place. {@value #DEMO} names the project's
 * demo model, {@value #DEMO_DIR} under the project home (system property {@value #HOME_PROPERTY},
 * which {@code bin/magicvideo} sets; else the working directory). Until that model exists, {@value
 * #DEMO} falls back to the UNTRAINED tiny model with random weights, written once to {@code
 * ~/.cache/magicvideo/}, and says so loudly: its videos are noise, but every stage runs. Any other
 * value is a directory on a Beam filesystem, used as given.
 */
public final class ModelLocator {
  public static final String DEMO = "demo";
  public static final String HOME_PROPERTY = "magicvideo.home";
  static final String DEMO_DIR = "models/demo";

  /** The tiny model is a fixed function of this seed, so every launch writes the same one. */
  private static final long TINY_SEED = 20221118L;

  private ModelLocator() {}

  /**
   * The model directory {@code --model} names. For {@value #DEMO} this may write the tiny random
   * model (a few seconds), reporting that on {@code log}.
   */
  public static String resolve(String model, PrintStream log) throws IOException {
    if (!DEMO.equals(model)) {
      return model;
    }
    Path demo = home().resolve(DEMO_DIR);
    if (Files.isRegularFile(demo.resolve(ModelDirectory.MANIFEST_FILE))) {
      return demo.toString();
    }
    Path tiny = tinyModelDir();
    if (!Files.isRegularFile(tiny.resolve(ModelDirectory.MANIFEST_FILE))) {
      log.println(
          "No demo model at "
              + demo
              + "; writing the tiny model with RANDOM weights to "
              + tiny
              + " (once).");
      RandomModels.writeTiny(tiny, TINY_SEED);
    }
    log.println(
        "Using the UNTRAINED tiny model "
            + tiny
            + ": its videos are noise. Pass --model=DIR for a trained model.");
    return tiny.toString();
  }

  /**
   * Name, version and fingerprint of the model at {@code directory} (any Beam filesystem), from its
   * model.json alone: the fingerprint is model.json's SHA-256, as {@link
   * ModelDirectory#fingerprint()} computes it. The weights are verified where they are loaded.
   */
  public static ModelRef describe(String directory) throws IOException {
    byte[] json = ModelCache.readManifest(directory);
    ModelManifest manifest;
    try {
      manifest = ModelManifest.fromJson(json);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(
          directory.replaceAll("/+$", "") + "/" + ModelDirectory.MANIFEST_FILE
              + " is not a valid model manifest: "
              + e.getMessage(),
          e);
    }
    return new ModelRef(manifest.name(), manifest.version(), Sha256.of(json));
  }

  private static Path home() {
    return Path.of(System.getProperty(HOME_PROPERTY, "")).toAbsolutePath();
  }

  private static Path tinyModelDir() {
    return Path.of(
        System.getProperty("user.home"),
        ".cache",
        "magicvideo",
        RandomModels.TINY_NAME + "-" + TINY_SEED + "-" + RandomModels.tinyFingerprint());
  }
}
