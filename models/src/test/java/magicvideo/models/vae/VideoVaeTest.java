package magicvideo.models.vae;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import magicvideo.models.nn.DirectedTemporalAttention;
import magicvideo.models.nn.Init;
import magicvideo.models.nn.Param;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class VideoVaeTest {
  private NDManager manager;

  @Before
  public void setUp() {
    manager = NDManager.newBaseManager();
  }

  @After
  public void tearDown() {
    manager.close();
  }

  private static NDArray seeded(NDManager m, long seed, long... shape) {
    Shape s = new Shape(shape);
    float[] v = new float[Math.toIntExact(s.size())];
    new Init.Uniform(1).fill(v, new SplittableRandom(seed));
    return m.create(v, s);
  }

  private VideoVae tinyVae(VaeConfig config, long seed) {
    VideoVae vae = new VideoVae(config);
    vae.initialize(manager, seed);
    return vae;
  }

  /** Moves the temporal layers' constant-initialised parameters (zero output, unit norms) as training would. */
  private static void perturbTemporalLayers(VideoVae vae, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    vae.namedParameters().forEach((name, p) -> {
      if (name.contains("temp_attentions") && p.init() instanceof Init.Constant constant) {
        float[] v = new float[Math.toIntExact(p.shape().size())];
        for (int i = 0; i < v.length; i++) {
          v[i] = constant.value() + (float) ((r.nextDouble() * 2 - 1) * 0.3);
        }
        p.array().set(v);
      }
    });
  }

  private static float maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }

  @Test
  public void encodeAndDecodeShapes() {
    VaeConfig c = VaeConfig.tiny();
    VideoVae vae = tinyVae(c, 1);
    NDArray frames = seeded(manager, 1, 2, 3, 3, 16, 16);
    DiagonalGaussian posterior = vae.encode(frames);
    assertEquals(new Shape(2, 3, 4, 4, 4), posterior.mean().getShape());
    assertEquals(new Shape(2, 3, 4, 4, 4), posterior.logvar().getShape());
    NDArray decoded = vae.decode(posterior.mode());
    assertEquals(frames.getShape(), decoded.getShape());
    NDArray scaled = vae.scale(posterior.mode());
    assertEquals(0f, maxAbsDiff(vae.unscale(scaled), posterior.mode()), 1e-6f);
  }

  @Test
  public void latentFactorsOfThePresets() {
    assertEquals(8, VaeConfig.sd15().latentFactor());
    assertEquals(4, VaeConfig.tiny().latentFactor());
    assertEquals(4, VaeConfig.demo().latentFactor());
  }

  @Test
  public void sd15ImageVaeHasDiffusersParameterCountAndNames() {
    VaeConfig sd15 = VaeConfig.sd15();
    VideoVae image = new VideoVae(sd15.imageOnly());
    // diffusers AutoencoderKL of runwayml/stable-diffusion-v1-5 (vae/)
    assertEquals(83_653_863L, image.parameterCount());
    Map<String, Shape> shapes = image.parameterShapes();
    assertEquals(new Shape(128, 3, 3, 3), shapes.get("encoder.conv_in.weight"));
    assertEquals(new Shape(512), shapes.get("encoder.mid_block.attentions.0.to_q.bias"));
    assertEquals(new Shape(512), shapes.get("encoder.mid_block.attentions.0.group_norm.weight"));
    assertEquals(new Shape(256, 256, 3, 3), shapes.get("encoder.down_blocks.1.downsamplers.0.conv.weight"));
    assertEquals(new Shape(8, 512, 3, 3), shapes.get("encoder.conv_out.weight"));
    assertEquals(new Shape(8, 8, 1, 1), shapes.get("quant_conv.weight"));
    assertEquals(new Shape(4, 4, 1, 1), shapes.get("post_quant_conv.weight"));
    assertEquals(new Shape(256, 512, 1, 1), shapes.get("decoder.up_blocks.2.resnets.0.conv_shortcut.weight"));
    assertEquals(new Shape(128, 128, 3, 3), shapes.get("decoder.up_blocks.3.resnets.2.conv2.weight"));
    assertEquals(new Shape(512, 512, 3, 3), shapes.get("decoder.up_blocks.0.upsamplers.0.conv.weight"));
    assertEquals(new Shape(3, 128, 3, 3), shapes.get("decoder.conv_out.weight"));
    assertFalse(shapes.containsKey("encoder.down_blocks.3.downsamplers.0.conv.weight"));
    assertFalse(shapes.containsKey("decoder.up_blocks.3.upsamplers.0.conv.weight"));

    Map<String, Shape> video = new VideoVae(sd15).parameterShapes();
    assertTrue(video.keySet().containsAll(shapes.keySet()));
    assertEquals(new Shape(512, 512), video.get("decoder.mid_block.temp_attentions.0.attn.to_out.0.weight"));
    assertEquals(new Shape(128), video.get("decoder.up_blocks.3.temp_attentions.0.norm.weight"));
    assertFalse("the encoder stays per-frame",
        video.keySet().stream().anyMatch(n -> n.startsWith("encoder.") && n.contains("temp_")));
  }

  @Test
  public void freshVideoDecoderEqualsImageDecoderFrameByFrame() {
    VaeConfig c = VaeConfig.tiny();
    VideoVae video = tinyVae(c, 3);
    VideoVae image = new VideoVae(c.imageOnly());
    Map<String, NDArray> spatial = new LinkedHashMap<>();
    image.namedParameters().keySet().forEach(k -> spatial.put(k, video.stateDict().get(k)));
    image.loadWeights(spatial, "video VAE");

    int frames = 5;
    NDArray latents = seeded(manager, 11, 1, frames, 4, 4, 4);
    NDArray out = video.decode(latents);
    for (int i = 0; i < frames; i++) {
      NDIndex frame = new NDIndex(":, {}:{}", i, i + 1);
      float diff = maxAbsDiff(out.get(frame), image.decode(latents.get(frame)));
      assertTrue("frame " + i + " differs by " + diff, diff < 1e-5f);
    }
  }

  /** Max change of every decoded frame when latent frame k is changed. */
  private float[] frameChange(VideoVae vae, int frames, int k) {
    NDArray latents = seeded(manager, 21, 1, frames, 4, 4, 4);
    NDArray base = vae.decode(latents);
    NDArray bumped = latents.duplicate();
    bumped.set(new NDIndex("0, {}", k), bumped.get(new NDIndex("0, {}", k)).add(seeded(manager, 99, 4, 4, 4)));
    NDArray diff = vae.decode(bumped).sub(base).abs();
    float[] perFrame = new float[frames];
    for (int i = 0; i < frames; i++) {
      perFrame[i] = diff.get(new NDIndex("0, {}", i)).max().getFloat();
    }
    return perFrame;
  }

  @Test
  public void trainedBidirectionalTemporalLayersMixEveryFrame() {
    VideoVae vae = tinyVae(VaeConfig.tiny(), 5);
    float[] fresh = frameChange(vae, 4, 2);
    perturbTemporalLayers(vae, 9);
    float[] trained = frameChange(vae, 4, 2);
    for (int i = 0; i < 4; i++) {
      if (i != 2) {
        assertEquals("a fresh decoder keeps frame " + i + " independent", 0f, fresh[i], 0f);
      }
      assertTrue("frame " + i + " must see frame 2: " + trained[i], trained[i] > 1e-4f);
    }
  }

  @Test
  public void directedTemporalLayersOnlyLookBack() {
    VideoVae vae = tinyVae(VaeConfig.tiny().withTemporal(DirectedTemporalAttention.Mode.DIRECTED), 5);
    perturbTemporalLayers(vae, 9);
    float[] change = frameChange(vae, 4, 2);
    for (int i = 0; i < 4; i++) {
      if (i < 2) {
        assertEquals("frame " + i + " must not see frame 2", 0f, change[i], 0f);
      } else {
        assertTrue("frame " + i + " must see frame 2: " + change[i], change[i] > 1e-4f);
      }
    }
  }

  @Test
  public void oneChunkOfTheWholeClipEqualsDecode() {
    VideoVae vae = tinyVae(VaeConfig.tiny(), 7);
    perturbTemporalLayers(vae, 3);
    NDArray latents = seeded(manager, 31, 2, 6, 4, 4, 4);
    assertEquals(0f, maxAbsDiff(vae.decodeChunked(latents, 6), vae.decode(latents)), 1e-6f);
  }

  @Test
  public void chunkedDecodingOfALongClipKeepsOnlyItsOutput() {
    VideoVae vae = tinyVae(VaeConfig.tiny(), 7);
    perturbTemporalLayers(vae, 3);
    int frames = 61, chunk = 16;
    int parameterArrays = manager.getManagedArrays().size();
    try (NDManager call = manager.newSubManager()) {
      NDArray latents = seeded(call, 41, 1, frames, 4, 4, 4);
      NDArray out = vae.decodeChunked(latents, chunk);
      assertEquals(new Shape(1, frames, 3, 16, 16), out.getShape());
      assertSame(call, out.getManager());
      List<NDArray> live = call.getManagedArrays();
      assertEquals("arrays left on the caller's manager: " + live, 2, live.size());
      assertEquals("arrays left on the parameters' manager", parameterArrays + 2, manager.getManagedArrays().size());

      // each chunk is decoded on its own: the temporal layers see only its frames (the last has 13)
      for (int start : new int[] {16, 48}) {
        NDIndex range = new NDIndex(":, {}:{}", start, Math.min(frames, start + chunk));
        float diff = maxAbsDiff(out.get(range), vae.decode(latents.get(range)));
        assertTrue("chunk at " + start + " differs by " + diff, diff < 1e-6f);
      }
    }
  }

  @Test
  public void gradientsReachTheTemporalLayersThroughDecode() {
    VideoVae vae = tinyVae(VaeConfig.tiny(), 13);
    vae.requireGradients();
    NDArray latents = seeded(manager, 51, 1, 3, 4, 4, 4);
    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
      gc.backward(vae.decode(latents).square().sum());
    }
    Map<String, Param> params = vae.namedParameters();
    for (String name : List.of("decoder.up_blocks.1.temp_attentions.0.attn.to_out.0.weight",
        "decoder.conv_in.weight", "post_quant_conv.weight")) {
      float g = params.get(name).array().getGradient().abs().max().getFloat();
      assertTrue(name + " gradient " + g, g > 0f);
    }
  }

  @Test
  public void rejectsMisshapenInputs() {
    VideoVae vae = tinyVae(VaeConfig.tiny(), 1);
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> vae.encode(manager.zeros(new Shape(3, 16, 16))));
    assertEquals("VAE frames must be (B, F, 3, H, W), got (3, 16, 16)", rank.getMessage());
    IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
        () -> vae.decode(manager.zeros(new Shape(1, 2, 3, 4, 4))));
    assertEquals("VAE latents must be (B, F, 4, H, W), got (1, 2, 3, 4, 4)", channels.getMessage());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> vae.encode(manager.zeros(new Shape(1, 1, 3, 16, 18))));
    assertEquals("frame height and width must be multiples of the latent factor 4, got 16x18", size.getMessage());
    assertThrows(IllegalArgumentException.class, () -> vae.decodeChunked(manager.zeros(new Shape(1, 2, 4, 4, 4)), 0));
  }

  @Test
  public void configRoundTripsThroughJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    for (VaeConfig c : Set.of(VaeConfig.sd15(), VaeConfig.demo(), VaeConfig.tiny().imageOnly())) {
      assertEquals(c, json.readValue(json.writeValueAsString(c), VaeConfig.class));
    }
  }
}
