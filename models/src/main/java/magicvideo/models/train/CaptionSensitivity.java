package magicvideo.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import magicvideo.models.VideoFrames;
import magicvideo.models.generate.DenoiserConfig;
import magicvideo.models.generate.FrameTensors;
import magicvideo.models.generate.ModelComponents;
import magicvideo.models.generate.TextConditioner;
import magicvideo.models.io.Flags;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.sampling.FrameCorrelatedNoise;
import magicvideo.models.sampling.NoiseSchedule;
import magicvideo.models.sampling.SeededNoise;
import magicvideo.models.shapes.Caption;
import magicvideo.models.shapes.Colour;
import magicvideo.models.shapes.ShapesWorld;
import magicvideo.models.text.ClipTokenizer;
import magicvideo.models.text.ClipTokenizerConfig;
import magicvideo.models.unet.Conditioning;

/**
 * Does a trained demo model's keyframe U-Net read each word of its caption? Clips of the shapes
 * world are encoded by the model's VAE, noised to a timestep, and denoised under the right caption,
 * under the caption with its direction word changed to the opposite one, with its colour word
 * changed, and under the empty prompt. A network that reads a word predicts the noise worse when
 * that word is wrong; where the two errors agree the word is ignored.
 *
 * <p>It also prints how far the text encoder keeps each word apart ({@link #wordDistances}): a
 * word the U-Net cannot use gets no gradient that keeps it distinct, and joint training pulls its
 * embeddings together.
 *
 * <pre>
 * java -cp ... magicvideo.models.train.CaptionSensitivity --model=models/demo [--clips=24] [--draws=3]
 * </pre>
 */
public final class CaptionSensitivity {
  /** The timesteps measured by the command: the top of the schedule, where the layout is decided, to the bottom. */
  static final int[] TIMESTEPS = {999, 950, 900, 800, 700, 500, 300, 100};

  /** Mean squared noise-prediction error at one timestep under each caption. */
  public record Row(int timestep, double right, double directionSwapped, double colourSwapped, double empty) {}

  /**
   * How far the text encoder's output moves when one word of the caption changes, relative to its
   * norm, averaged over the training captions: at the changed word's own token, and over the tokens
   * after it (the end token and the padding, which see the whole caption). Tokens before the word
   * do not move at all (the encoder is causal).
   */
  public record WordDistance(String word, int token, double atWord, double after) {}

  private CaptionSensitivity() {}

  public static void main(String[] args) throws IOException {
    Flags flags = Flags.parse(args, List.of("model", "clips", "draws"), "flags: --model=DIR --clips=24 --draws=3");
    ModelDirectory model = ModelDirectory.open(Path.of(flags.required("model")));
    for (WordDistance d : wordDistances(model)) {
      System.out.printf("text encoder: the %s word changed moves its token (%d) by %.3f, the later tokens by %.3f "
          + "(relative)%n", d.word(), d.token(), d.atWord(), d.after());
    }
    List<Row> rows = measure(model, TIMESTEPS, flags.intValue("clips", 24), flags.intValue("draws", 3));
    System.out.println("| timestep | right caption | direction word swapped | colour word swapped | empty prompt |");
    System.out.println("|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      System.out.printf("| %d | %.5f | %.5f (%+.1f%%) | %.5f (%+.1f%%) | %.5f (%+.1f%%) |%n", r.timestep(), r.right(),
          r.directionSwapped(), pct(r.directionSwapped(), r.right()), r.colourSwapped(),
          pct(r.colourSwapped(), r.right()), r.empty(), pct(r.empty(), r.right()));
    }
  }

  private static double pct(double x, double base) {
    return 100 * (x / base - 1);
  }

  /** The direction word's and the colour word's {@link WordDistance}, over every training caption. */
  public static List<WordDistance> wordDistances(ModelDirectory model) throws IOException {
    try (Loaded loaded = new Loaded(model); NDManager m = NDManager.newBaseManager()) {
      List<Caption> captions = ShapesWorld.trainingCaptions();
      NDArray right = loaded.text.embed(m, captions.stream().map(Caption::text).toList());
      NDArray direction = loaded.text.embed(m, captions.stream().map(c -> oppositeDirection(c).text()).toList());
      NDArray colour = loaded.text.embed(m, captions.stream().map(c -> nextColour(c).text()).toList());
      return List.of(distance("direction", right, direction), distance("colour", right, colour));
    }
  }

  private static Caption oppositeDirection(Caption c) {
    return new Caption(c.colour(), c.shape(), c.direction().opposite());
  }

  private static Caption nextColour(Caption c) {
    Colour[] all = Colour.values();
    return new Caption(all[(c.colour().ordinal() + 1) % all.length], c.shape(), c.direction());
  }

  /** A model's networks, loaded (and checked) by the demo trainer, and its prompt encoder. */
  private static final class Loaded implements AutoCloseable {
    final DemoTrainer trainer;
    final ClipTokenizer tokenizer;
    final TextConditioner text;

    Loaded(ModelDirectory model) throws IOException {
      trainer = new DemoTrainer(DemoConfigs.standard(), TrainingBudget.smoke(), 1,
          new PrintStream(OutputStream.nullOutputStream()));
      try {
        trainer.loadAll(model);
        tokenizer = ClipTokenizer.open(model.tokenizerFile(), ClipTokenizerConfig.CLIP);
      } catch (IOException | RuntimeException e) {
        trainer.close();
        throw e;
      }
      text = new TextConditioner(tokenizer, trainer.textEncoder());
    }

    @Override
    public void close() throws IOException {
      tokenizer.close();
      trainer.close();
    }
  }

  /** (N, L, D) contexts differing in one word: the first token that moves is that word's. */
  private static WordDistance distance(String word, NDArray right, NDArray changed) {
    NDArray relative = changed.sub(right).norm(new int[] {2}).div(right.norm(new int[] {2})).mean(new int[] {0});
    float[] perToken = relative.toFloatArray();
    int at = 0;
    while (at < perToken.length - 1 && perToken[at] == 0f) {
      at++;
    }
    double after = 0;
    for (int i = at + 1; i < perToken.length; i++) {
      after += perToken[i] / (perToken.length - at - 1);
    }
    return new WordDistance(word, at, perToken[at], after);
  }

  /** {@code clips} clips of training captions, {@code draws} noise draws per timestep. */
  public static List<Row> measure(ModelDirectory model, int[] timesteps, int clips, int draws) throws IOException {
    try (Loaded loaded = new Loaded(model); NDManager m = NDManager.newBaseManager()) {
      DemoTrainer trainer = loaded.trainer;
      TextConditioner text = loaded.text;
      SplittableRandom random = new SplittableRandom(5);
      List<Caption> captions = ShapesWorld.trainingCaptions();
      List<VideoFrames> frames = new ArrayList<>();
      List<String> right = new ArrayList<>();
      List<String> direction = new ArrayList<>();
      List<String> colour = new ArrayList<>();
      for (int i = 0; i < clips; i++) {
        Caption c = captions.get(random.nextInt(captions.size()));
        frames.add(ShapesWorld.render(ShapesWorld.sample(c, random), ShapesData.KEYFRAMES, ShapesData.LOW_SIZE,
            ShapesData.FPS));
        right.add(c.text());
        direction.add(oppositeDirection(c).text());
        colour.add(nextColour(c).text());
      }
      NDArray clean = trainer.vae().scale(trainer.vae().encode(FrameTensors.toTensor(m, frames)).mean());
      NDArray fps = m.full(new Shape(clips), (float) ShapesData.FPS);
      List<NDArray> contexts = List.of(text.embed(m, right), text.embed(m, direction), text.embed(m, colour),
          text.embed(m, Collections.nCopies(clips, "")));
      DenoiserConfig config = model.config(ModelComponents.KEYFRAME_UNET, DenoiserConfig.class);
      NoiseSchedule schedule = new NoiseSchedule(config.scheduler());
      double correlation = config.frameNoiseCorrelation();
      List<Row> out = new ArrayList<>();
      for (int t : timesteps) {
        double[] error = new double[contexts.size()];
        for (int d = 0; d < draws; d++) {
          long draw = d;
          try (NDScope scope = new NDScope()) {
            NDArray eps = FrameCorrelatedNoise.gaussianBatch(m, clean.getShape(),
                IntStream.range(0, clips).mapToObj(i -> SeededNoise.forSeed(draw).split(i)).toList(), correlation);
            double a = schedule.alphaCumprod(t);
            NDArray alpha = m.create((float) Math.sqrt(a));
            NDArray sigma = m.create((float) Math.sqrt(1 - a));
            NDArray noisy = clean.mul(alpha).add(eps.mul(sigma));
            NDArray target = config.scheduler().predictionType().target(clean, eps, alpha, sigma);
            NDArray ts = m.full(new Shape(clips), (float) t);
            for (int k = 0; k < contexts.size(); k++) {
              NDArray prediction = trainer.keyframeUNet().forward(noisy, ts,
                  Conditioning.text(contexts.get(k)).withFps(fps));
              error[k] += prediction.sub(target).square().mean().getFloat() / draws;
            }
          }
        }
        out.add(new Row(t, error[0], error[1], error[2], error[3]));
      }
      return out;
    }
  }
}
