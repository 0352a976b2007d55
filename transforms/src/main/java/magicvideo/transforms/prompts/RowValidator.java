package magicvideo.transforms.prompts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Checks the content of a parsed row and settles its id and seed, giving the row's request for
 * video 0 (one per row; {@link ReadPrompts} expands it to {@code videosPerPrompt} later).
 *
 * <p>Prompts are stripped of surrounding white space (the text encoder would ignore it, and it
 * would make equal prompts look different). Length is counted in Unicode code points, so an emoji
 * counts once. The override ranges catch typos and unit mistakes, not model limits.
 */
final class RowValidator implements Serializable {
  static final String ID = "id";
  static final String PROMPT = "prompt";
  static final String NEGATIVE_PROMPT = "negative_prompt";
  static final String SEED = "seed";
  static final String STEPS = "num_inference_steps";
  static final String STEPS_ALIAS = "steps";
  static final String GUIDANCE = "guidance_scale";
  static final String GUIDANCE_ALIAS = "guidance";
  static final String FPS = "fps";

  /** Where the given id goes when it was unsafe and replaced. */
  static final String ORIGINAL_ID = "original_id";

  private static final Set<String> KNOWN_FIELDS =
      Set.of(ID, PROMPT, NEGATIVE_PROMPT, SEED, STEPS, STEPS_ALIAS, GUIDANCE, GUIDANCE_ALIAS, FPS);

  static final int MAX_STEPS = 1000; // DDPM's training schedule has 1000 steps
  static final double MAX_GUIDANCE = 50;
  static final int MAX_FPS = 120;

  private final long runSeed;
  private final int maxPromptChars;

  RowValidator(long runSeed, int maxPromptChars) {
    this.runSeed = runSeed;
    this.maxPromptChars = maxPromptChars;
  }

  /**
   * @param source the file's full resource id, recorded in the request
   * @param fileName the file's name alone, which derived ids use
   */
  PromptRequest validate(RowFields row, String source, String fileName, long line) throws BadRow {
    String givenId = row.identifier(ID);
    try {
      return validate(row, givenId, source, fileName, line);
    } catch (BadRow e) {
      throw e.forId(givenId);
    }
  }

  private PromptRequest validate(
      RowFields row, @Nullable String givenId, String source, String fileName, long line)
      throws BadRow {
    String rawPrompt = row.string(PROMPT);
    if (rawPrompt == null) {
      throw new BadRow(FailureKind.MISSING_PROMPT, "row has no \"" + PROMPT + "\" field");
    }
    String prompt = checkLength(PROMPT, rawPrompt.strip());
    if (prompt.isEmpty()) {
      throw new BadRow(FailureKind.EMPTY_PROMPT, "prompt is empty");
    }
    String negative = row.string(NEGATIVE_PROMPT);
    negative = negative == null ? "" : checkLength(NEGATIVE_PROMPT, negative.strip());

    Long seed = row.integer(SEED);
    if (seed != null && seed < 0) {
      throw new BadRow(
          FailureKind.OUT_OF_RANGE, "\"" + SEED + "\" is " + seed + "; seeds must be 0 or more");
    }
    Long steps =
        checkRange(
            eitherOf(row, STEPS, STEPS_ALIAS, RowFields::integer),
            STEPS + "/" + STEPS_ALIAS,
            1,
            MAX_STEPS);
    Double guidance =
        checkRange(
            eitherOf(row, GUIDANCE, GUIDANCE_ALIAS, RowFields::number),
            GUIDANCE + "/" + GUIDANCE_ALIAS,
            0,
            MAX_GUIDANCE);
    Long fps = checkRange(row.integer(FPS), FPS, 1, MAX_FPS);

    ObjectNode extra = row.others(KNOWN_FIELDS);
    String id = givenId;
    if (!PromptIds.isSafe(givenId)) {
      id = PromptIds.derive(fileName, line, prompt);
      if (givenId != null) {
        extra.put(ORIGINAL_ID, givenId);
      }
    }
    return PromptRequest.builder()
        .setId(id)
        .setPrompt(prompt)
        .setNegativePrompt(negative)
        .setSeed(seed != null ? seed : PromptSeeds.derive(runSeed, id))
        .setSource(source)
        .setLine(line)
        .setExtraJson(PromptJson.write(extra))
        .setSteps(steps == null ? null : steps.intValue())
        .setGuidanceScale(guidance)
        .setFps(fps == null ? null : fps.intValue())
        .build();
  }

  private String checkLength(String field, String text) throws BadRow {
    int chars = text.codePointCount(0, text.length());
    if (chars > maxPromptChars) {
      throw new BadRow(
          FailureKind.PROMPT_TOO_LONG,
          "\"" + field + "\" has " + chars + " characters; the limit is " + maxPromptChars);
    }
    return text;
  }

  private static <T extends Number> @Nullable T checkRange(
      @Nullable T value, String field, double min, double max) throws BadRow {
    if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
      throw new BadRow(
          FailureKind.OUT_OF_RANGE,
          "\"" + field + "\" is " + value + "; expected " + format(min) + " to " + format(max));
    }
    return value;
  }

  private static String format(double bound) {
    return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
  }

  /** One setting known under two names; giving both is ambiguous, so it rejects the row. */
  private static <T> @Nullable T eitherOf(RowFields row, String name, String alias, Getter<T> get)
      throws BadRow {
    T value = get.apply(row, name);
    T aliased = get.apply(row, alias);
    if (value != null && aliased != null) {
      throw new BadRow(
          FailureKind.CONFLICTING_FIELDS,
          "both \"" + name + "\" and its alias \"" + alias + "\" are given; keep one");
    }
    return value != null ? value : aliased;
  }

  @FunctionalInterface
  private interface Getter<T> {
    @Nullable T apply(RowFields row, String name) throws BadRow;
  }
}
