/**
 * The {@code eval} command: how well a finished run's videos follow their prompts, for the demo
 * model trained on the shapes world ({@link magicvideo.models.shapes}).
 *
 * <pre>
 * bin/magicvideo eval --output=DIR [--samples=300]
 * </pre>
 *
 * <p>Reads every {@code DIR/manifest/*.jsonl} (local or gs://), decodes each listed video, and
 * analyses its pixels with {@link magicvideo.models.shapes.ClipAnalysis}: the colour, shape and
 * direction of motion it shows, compared with those its prompt names ({@code a {colour} {shape}
 * moving {direction}}), plus frame-to-frame flicker of the shape's area and colour and the
 * smoothness of its path. {@link magicvideo.models.shapes.ShapesEvaluation} turns the verdicts
 * into accuracies for the combinations seen in training and the held-out ones (magenta triangle,
 * cyan circle, yellow square), and checks issue 5's goals. Writes:
 *
 * <ul>
 *   <li>{@code DIR/eval/eval.json}: {@link RunEvaluation}, every number down to each frame's area
 *       and centroid (about 25 KB per 61-frame video);
 *   <li>{@code DIR/eval/eval.html}: goals, a table and bar charts (inline SVG) of seen vs
 *       held-out, and a grid of frame strips with each video's verdicts;
 *   <li>{@code DIR/eval/frames/ID.png}: the strips, for the first {@code --samples} videos by id.
 * </ul>
 *
 * <p>The same evaluation runs in memory, without files, from training and ablation code:
 * {@code new ShapesEvaluation().add(id, prompt, frames)}, then {@code report()}.
 */
package magicvideo.pipeline.eval;
