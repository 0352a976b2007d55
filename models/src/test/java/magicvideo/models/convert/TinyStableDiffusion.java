package magicvideo.models.convert;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import magicvideo.models.io.SafeTensors;
import magicvideo.models.io.Tensor;
import magicvideo.models.nn.Module;
import magicvideo.models.text.ClipTextConfig;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.unet.VideoUNet;
import magicvideo.models.vae.VaeConfig;
import magicvideo.models.vae.VideoVae;

/**
 * A Stable Diffusion checkpoint in the diffusers layout with test-sized networks. Tensor names
 * come from our image networks' parameterShapes() (our names are diffusers'), values are seeded
 * random; the text encoder file carries HF's I64 position_ids buffer, the VAE file (optionally)
 * the old attention names and 1x1-conv shapes, the tokenizer SD 1.5's slow-tokenizer files.
 * Tests change the public fields before {@link #writeTo}.
 */
final class TinyStableDiffusion {
  static final UNetConfig UNET = new UNetConfig(4, 4, new int[] {32, 64},
      new boolean[] {true, false}, 1, 32, 4, 8, null, false, 1, false, false);
  static final VaeConfig VAE = new VaeConfig(3, 4, new int[] {16, 32}, 1, 8, 0.18215f, null);

  /** vocab.json in id order: characters, word ends, merged pieces, then CLIP's two specials. */
  static final List<String> VOCAB = List.of("!", "a", "c", "d", "g", "o", "s", "t",
      "!</w>", "a</w>", "g</w>", "s</w>", "t</w>", "ca", "cat", "cat</w>", "do", "dog", "dog</w>",
      "o</w>", "d</w>", "<|startoftext|>", "<|endoftext|>");
  static final List<String> MERGES = List.of("c a", "ca t</w>", "ca t", "d o", "do g</w>", "do g");
  static final int END_ID = VOCAB.indexOf("<|endoftext|>");
  static final ClipTextConfig TEXT = new ClipTextConfig(VOCAB.size(), 16, 32, 2, 4, 64,
      ClipTextConfig.Activation.QUICK_GELU, 1e-5f, END_ID, END_ID);

  private static final ObjectMapper JSON = new ObjectMapper();

  final ObjectNode unetConfig = JSON.createObjectNode();
  final ObjectNode vaeConfig = JSON.createObjectNode();
  final ObjectNode textConfig = JSON.createObjectNode();
  final Map<String, long[]> unetTensors = shapes(new VideoUNet(UNET));
  boolean legacyVaeNames = true;
  private final long seed;

  TinyStableDiffusion(long seed) {
    this.seed = seed;
    // as SD 1.5's unet/config.json (diffusers 0.6.0), at test size
    unetConfig.put("_class_name", "UNet2DConditionModel").put("_diffusers_version", "0.6.0")
        .put("act_fn", "silu").put("attention_head_dim", 4).put("center_input_sample", false)
        .put("cross_attention_dim", 32).put("downsample_padding", 1).put("flip_sin_to_cos", true)
        .put("freq_shift", 0).put("in_channels", 4).put("layers_per_block", 1)
        .put("mid_block_scale_factor", 1).put("norm_eps", 1e-5).put("norm_num_groups", 8)
        .put("out_channels", 4).put("sample_size", 8);
    unetConfig.putArray("block_out_channels").add(32).add(64);
    unetConfig.putArray("down_block_types").add("CrossAttnDownBlock2D").add("DownBlock2D");
    unetConfig.putArray("up_block_types").add("UpBlock2D").add("CrossAttnUpBlock2D");

    vaeConfig.put("_class_name", "AutoencoderKL").put("act_fn", "silu").put("in_channels", 3)
        .put("latent_channels", 4).put("layers_per_block", 1).put("norm_num_groups", 8)
        .put("out_channels", 3).put("sample_size", 32);
    vaeConfig.putArray("block_out_channels").add(16).add(32);
    vaeConfig.putArray("down_block_types").add("DownEncoderBlock2D").add("DownEncoderBlock2D");
    vaeConfig.putArray("up_block_types").add("UpDecoderBlock2D").add("UpDecoderBlock2D");

    // SD 1.5's text_encoder/config.json says eos_token_id 2 (HF's legacy marker)
    textConfig.putArray("architectures").add("CLIPTextModel");
    textConfig.put("bos_token_id", 0).put("eos_token_id", 2).put("pad_token_id", 1)
        .put("hidden_act", "quick_gelu").put("hidden_size", 32).put("intermediate_size", 64)
        .put("layer_norm_eps", 1e-5).put("max_position_embeddings", 16)
        .put("model_type", "clip_text_model").put("num_attention_heads", 4)
        .put("num_hidden_layers", 2).put("projection_dim", 32).put("vocab_size", VOCAB.size());
  }

  static Map<String, long[]> shapes(Module module) {
    Map<String, long[]> out = new LinkedHashMap<>();
    module.parameterShapes().forEach((name, shape) -> out.put(name, shape.getShape()));
    return out;
  }

  /** Seeded values of the scale PyTorch initialises with (U(-b, b), b = 1/sqrt(fan-in)). */
  float[] values(String name, long[] shape) {
    int size = Math.toIntExact(new Shape(shape).size());
    double bound = shape.length >= 2 ? 1 / Math.sqrt((double) size / shape[0]) : 1;
    SplittableRandom random = new SplittableRandom(seed ^ name.hashCode());
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return v;
  }

  Path unetWeights(Path root) {
    return root.resolve("unet/diffusion_pytorch_model.safetensors");
  }

  Path writeTo(Path root) throws IOException {
    write(root.resolve("unet/config.json"), unetConfig);
    List<Tensor> unet = new ArrayList<>();
    unetTensors.forEach((name, shape) -> unet.add(new Tensor(name, shape, values(name, shape))));
    SafeTensors.write(unetWeights(root), unet);

    write(root.resolve("vae/config.json"), vaeConfig);
    List<Tensor> vae = new ArrayList<>();
    shapes(new VideoVae(VAE)).forEach((name, shape) -> vae.add(vaeTensor(name, shape)));
    SafeTensors.write(root.resolve("vae/diffusion_pytorch_model.safetensors"), vae);

    write(root.resolve("text_encoder/config.json"), textConfig);
    writeTextEncoder(root.resolve("text_encoder/model.safetensors"));

    Path tokenizer = Files.createDirectories(root.resolve("tokenizer"));
    ObjectNode vocab = JSON.createObjectNode();
    for (int id = 0; id < VOCAB.size(); id++) {
      vocab.put(VOCAB.get(id), id);
    }
    write(tokenizer.resolve("vocab.json"), vocab);
    List<String> merges = new ArrayList<>(List.of("#version: 0.2"));
    merges.addAll(MERGES);
    Files.write(tokenizer.resolve("merges.txt"), merges, StandardCharsets.UTF_8);
    ObjectNode special = JSON.createObjectNode();
    special.putObject("bos_token").put("content", "<|startoftext|>").put("normalized", true);
    special.putObject("eos_token").put("content", "<|endoftext|>").put("normalized", true);
    special.put("pad_token", "<|endoftext|>");
    special.putObject("unk_token").put("content", "<|endoftext|>").put("normalized", true);
    write(tokenizer.resolve("special_tokens_map.json"), special);

    // SD 1.5's scheduler/scheduler_config.json as it is
    ObjectNode scheduler = JSON.createObjectNode();
    scheduler.put("_class_name", "PNDMScheduler").put("_diffusers_version", "0.6.0")
        .put("beta_end", 0.012).put("beta_schedule", "scaled_linear").put("beta_start", 0.00085)
        .put("num_train_timesteps", 1000).put("set_alpha_to_one", false)
        .put("skip_prk_steps", true).put("steps_offset", 1).putNull("trained_betas")
        .put("clip_sample", false);
    write(root.resolve("scheduler/scheduler_config.json"), scheduler);
    return root;
  }

  /** Values under today's name; stored under the old name and 1x1-conv shape if asked. */
  private Tensor vaeTensor(String name, long[] shape) {
    float[] v = values(name, shape);
    if (!legacyVaeNames || !name.contains(".attentions.")) {
      return new Tensor(name, shape, v);
    }
    String old = name.replace(".to_q.", ".query.").replace(".to_k.", ".key.")
        .replace(".to_v.", ".value.").replace(".to_out.0.", ".proj_attn.");
    return new Tensor(old, shape.length == 2 ? new long[] {shape[0], shape[1], 1, 1} : shape, v);
  }

  /**
   * The CLIP weights plus {@code text_model.embeddings.position_ids} as I64 [1, 16], as
   * transformers saved it; written byte by byte because our writer only writes weights.
   */
  private void writeTextEncoder(Path file) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    long positions = TEXT.contextLength();
    ByteBuffer ids =
        ByteBuffer.allocate(Math.toIntExact(8 * positions)).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < positions; i++) {
      ids.putLong(i);
    }
    entry(header, "text_model.embeddings.position_ids", "I64", new long[] {1, positions},
        data.size(), ids.capacity());
    data.write(ids.array());
    for (Map.Entry<String, long[]> t : shapes(new ClipTextEncoder(TEXT)).entrySet()) {
      float[] v = values(t.getKey(), t.getValue());
      ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(v);
      entry(header, t.getKey(), "F32", t.getValue(), data.size(), bytes.capacity());
      data.write(bytes.array());
    }
    byte[] json = JSON.writeValueAsBytes(header);
    Files.createDirectories(file.getParent());
    Files.write(file, ByteBuffer.allocate(8 + json.length + data.size())
        .order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json).put(data.toByteArray())
        .array());
  }

  private static void entry(ObjectNode header, String name, String dtype, long[] shape, long begin,
      long bytes) {
    ObjectNode e = header.putObject(name).put("dtype", dtype);
    ArrayNode dims = e.putArray("shape");
    for (long d : shape) {
      dims.add(d);
    }
    e.putArray("data_offsets").add(begin).add(begin + bytes);
  }

  private static void write(Path file, ObjectNode json) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
  }
}
