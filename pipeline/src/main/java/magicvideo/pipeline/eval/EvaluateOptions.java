package magicvideo.pipeline.eval;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * The flags of {@code bin/magicvideo eval}. Pipeline options, although no job runs: they carry
 * the filesystem options ({@code GcsOptions} and the like) that let the output folder be a bucket.
 */
public interface EvaluateOptions extends PipelineOptions {
  @Description(
      "Output folder of a finished run, local or gs://: its manifest is read, every video decoded"
          + " and analysed; the results go to OUTPUT/eval/eval.json and OUTPUT/eval/eval.html.")
  @Validation.Required
  String getOutput();

  void setOutput(String output);

  @Description(
      "Videos shown as frame strips in eval.html, the first by id; eval.json lists every video.")
  @Default.Integer(300)
  int getSamples();

  void setSamples(int samples);
}
