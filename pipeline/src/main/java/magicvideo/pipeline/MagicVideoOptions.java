package magicvideo.pipeline;

import java.security.SecureRandom;
import java.time.Instant;
import magicvideo.transforms.outputs.RunIds;
import magicvideo.transforms.prompts.ReadPrompts;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.DefaultValueFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Every parameter of a MagicVideo run: the one source of truth for the command line, {@code bin/
 * magicvideo help}, run.json and rerun configs. Generation parameters carry diffusers' meanings
 * (steps = num_inference_steps, guidance = guidance_scale); their defaults equal {@code
 * GenerationSettings.defaults()} (a test holds them together). Runner options stay with their
 * runners and are reached with {@code as()}: {@code FlinkPipelineOptions} ({@code --flinkMaster}),
 * {@code DataflowPipelineOptions} ({@code --project}, {@code --region}, {@code --tempLocation},
 * {@code --stagingLocation}, {@code --workerMachineType}, {@code --sdkContainerImage}), {@code
 * GcsOptions}.
 */
public interface MagicVideoOptions extends PipelineOptions {
  @Description(
      "A YAML (.yaml, .yml) or JSON (.json) file of option values, local or on any Beam"
          + " filesystem (gs://): one 'name: value' per option, for any option listed here or by"
          + " a runner (runner, flinkMaster, project, region, ...); lists as lists, map options"
          + " as objects. Flags on the command line override the file's values. A finished run's"
          + " OUT/run.json is a config too: its 'parameters' object is read and the rest of the"
          + " record ignored, so --config=OUT/run.json --output=NEW reruns it. Paths in the file"
          + " are relative to the working directory, as on the command line. See"
          + " templates/configs/.")
  String getConfig();

  void setConfig(String config);

  @Description(
      "Prompt files: a path or glob on any Beam filesystem (local, gs://). .txt (one prompt a"
          + " line), .jsonl (prompt, id, negative_prompt, seed, ...), .csv/.tsv with a header;"
          + " optionally compressed (.gz, .bz2, .zst). Required unless --from is given.")
  String getPrompts();

  void setPrompts(String prompts);

  @Description(
      "Output folder, local or gs://: videos/, manifest/, failures/, run.json, index.html.")
  @Validation.Required
  String getOutput();

  void setOutput(String output);

  @Description(
      "Model directory holding model.json (local or gs://); 'demo' = the project's demo model.")
  @Default.String(ModelLocator.DEMO)
  String getModel();

  void setModel(String model);

  @Description("Run seed: derives the seed of every prompt row that gives none.")
  @Default.Long(0)
  long getRunSeed();

  void setRunSeed(long runSeed);

  @Description(
      "Videos per prompt, each with its own id (<id>-<n>) and seed (num_videos_per_prompt).")
  @Default.Integer(1)
  int getVideosPerPrompt();

  void setVideosPerPrompt(int videosPerPrompt);

  @Description("Longest prompt accepted, in characters; longer rows go to failures.")
  @Default.Integer(ReadPrompts.DEFAULT_MAX_PROMPT_CHARS)
  int getMaxPromptChars();

  void setMaxPromptChars(int maxPromptChars);

  @Description("Shards: requests are keyed by shard and batched per shard; names videos/<shard>/.")
  @Default.Integer(4)
  int getNumShards();

  void setNumShards(int numShards);

  @Description("Videos per forward pass of the GPU stages.")
  @Default.Integer(1)
  int getBatchSize();

  void setBatchSize(int batchSize);

  @Description("Sampler: ddim or dpmpp-2m (DPM-Solver++ 2M).")
  @Default.String("dpmpp-2m")
  String getSampler();

  void setSampler(String sampler);

  @Description("Keyframe denoising steps (num_inference_steps); a row's own value wins.")
  @Default.Integer(25)
  int getSteps();

  void setSteps(int steps);

  @Description("Classifier-free guidance scale of the keyframes (guidance_scale); 1 = none.")
  @Default.Double(7.5)
  double getGuidance();

  void setGuidance(double guidance);

  @Description("Negative prompt for rows that give none (negative_prompt).")
  @Default.String("")
  String getNegativePrompt();

  void setNegativePrompt(String negativePrompt);

  @Description("DDIM eta: 0 = deterministic DDIM.")
  @Default.Double(0)
  double getEta();

  void setEta(double eta);

  @Description("Keyframes per video (16 in the paper); 0 = the model's own.")
  @Default.Integer(0)
  int getKeyframes();

  void setKeyframes(int keyframes);

  @Description("Keyframe width in pixels; 0 = the model's own.")
  @Default.Integer(0)
  int getWidth();

  void setWidth(int width);

  @Description("Keyframe height in pixels; 0 = the model's own.")
  @Default.Integer(0)
  int getHeight();

  void setHeight(int height);

  @Description("Frame rate of the videos, and the FPS conditioning of the keyframe model.")
  @Default.Integer(8)
  int getFps();

  void setFps(int fps);

  @Description("Denoising steps of latent frame interpolation.")
  @Default.Integer(10)
  int getInterpolationSteps();

  void setInterpolationSteps(int interpolationSteps);

  @Description("Denoising steps of super-resolution.")
  @Default.Integer(10)
  int getUpscaleSteps();

  void setUpscaleSteps(int upscaleSteps);

  @Description(
      "Noise level added to the low-resolution frames before super-resolution (SD x4: 20).")
  @Default.Integer(20)
  int getUpscaleNoiseLevel();

  void setUpscaleNoiseLevel(int upscaleNoiseLevel);

  @Description("Frames the VideoVAE decodes at once (bounds memory; decode_chunk_size).")
  @Default.Integer(16)
  int getDecodeChunk();

  void setDecodeChunk(int decodeChunk);

  @Description("Video format: mp4 (H.264) or webm (VP9).")
  @Default.String("mp4")
  String getFormat();

  void setFormat(String format);

  @Description("Preview beside each video: gif (animated), jpg (poster frame) or none.")
  @Default.String("gif")
  String getPreview();

  void setPreview(String preview);

  @Description(
      "Last stage to run: keyframes, interpolate, decode, upscale (each writes its tensors to"
          + " tensors/ instead of videos) or encode (the whole pipeline).")
  @Default.String(Choices.FULL_RUN)
  String getUntil();

  void setUntil(String until);

  @Description(
      "Output folder of an earlier --until run (local or gs://): its videos continue from the"
          + " tensors it wrote, through the later stages, into --output. Replaces --prompts.")
  String getFrom();

  void setFrom(String from);

  @Description(
      "Skip prompts whose video an earlier run into the same output already lists in its"
          + " manifest and wrote completely.")
  @Default.Boolean(false)
  boolean getResume();

  void setResume(boolean resume);

  @Description(
      "Accelerator for the GPU stages, as a Beam resource hint, e.g."
          + " type:nvidia-l4;count:1;install-nvidia-driver. Dataflow honours it.")
  String getAccelerator();

  void setAccelerator(String accelerator);

  @Description("Forward passes allowed at once on one device of a worker (bounds GPU memory).")
  @Default.Integer(1)
  int getMaxForwardPassesPerDevice();

  void setMaxForwardPassesPerDevice(int maxForwardPassesPerDevice);

  @Description(
      "Run id, the prefix of this run's manifest and failure files; default: start time and a"
          + " random suffix.")
  @Default.InstanceFactory(RunIdFactory.class)
  String getRunId();

  void setRunId(String runId);

  /** A fresh run id per launch: a rerun must not overwrite an earlier run's files. */
  class RunIdFactory implements DefaultValueFactory<String> {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public String create(PipelineOptions options) {
      return RunIds.generate(Instant.now(), RANDOM);
    }
  }
}
