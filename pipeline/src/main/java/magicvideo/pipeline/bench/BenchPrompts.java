package magicvideo.pipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The prompts every benchmark case runs on: short scene descriptions in the tiny model's demo
 * vocabulary, so each fits the text encoder's 77 tokens and nothing is truncated or rejected.
 */
final class BenchPrompts {
  private static final String[] COLOURS = {"red", "blue", "green", "yellow", "white"};
  private static final String[] SHAPES = {"circle", "square", "triangle", "star"};
  private static final String[] DIRECTIONS = {"left", "right", "up", "down"};

  private BenchPrompts() {}

  /** {@code count} prompts; after 80 they repeat (the job gives each line its own id). */
  static List<String> first(int count) {
    List<String> prompts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      prompts.add("a " + COLOURS[i % COLOURS.length] + " " + SHAPES[i / COLOURS.length % SHAPES.length]
          + " moving " + DIRECTIONS[i / (COLOURS.length * SHAPES.length) % DIRECTIONS.length]);
    }
    return prompts;
  }

  /** Writes {@link #first}{@code (count)} one a line to {@code folder/prompts-<count>.txt}. */
  static Path write(Path folder, int count) throws IOException {
    return Files.write(folder.resolve("prompts-" + count + ".txt"), first(count));
  }
}
