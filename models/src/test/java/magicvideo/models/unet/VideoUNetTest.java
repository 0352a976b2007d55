package magicvideo.models.unet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import magicvideo.models.nn.DirectedTemporalAttention;
import magicvideo.models.nn.Init;
import magicvideo.models.nn.Param;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

public class VideoUNetTest {
  private NDManager manager;

  @Before
  public void setUp() {
    manager = NDManager.newBaseManager();
  }

  @After
  public void tearDown() {
    manager.close();
  }

  private NDArray seeded(long seed, long... shape) {
    Shape s = new Shape(shape);
    float[] v = new float[Math.toIntExact(s.size())];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return manager.create(v, s);
  }

  /**
   * Moves every constant-initialised parameter (identity adaptors, zero temporal output
   * projections, norms) off its initial value, as training would; the others keep their random init.
   */
  static void perturbIdentityParameters(VideoUNet net, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (Param p : net.namedParameters().values()) {
      if (p.init() instanceof Init.Constant constant) {
        float[] v = new float[Math.toIntExact(p.shape().size())];
        for (int i = 0; i < v.length; i++) {
          v[i] = constant.value() + (float) ((r.nextDouble() * 2 - 1) * 0.3);
        }
        p.array().set(v);
      }
    }
  }

  private Conditioning cond(UNetConfig c, int b) {
    Conditioning cond = Conditioning.text(seeded(7, b, 5, c.contextDim()));
    if (c.fpsConditioning()) {
      cond = cond.withFps(manager.create(new float[] {8f, 4f}).get("0:" + b));
    }
    return cond;
  }

  @Test
  public void tinyShapes() {
    UNetConfig c = UNetConfig.tinyKeyframes();
    VideoUNet net = new VideoUNet(c);
    net.initialize(manager, 1);
    NDArray x = seeded(1, 2, c.numFrames(), 4, 8, 8);
    NDArray out = net.forward(x, manager.create(new float[] {10f, 500f}), cond(c, 2));
    assertEquals(new Shape(2, c.numFrames(), 4, 8, 8), out.getShape());
  }

  @Test
  public void sd15SpatialParameterCountMatchesStableDiffusion() {
    UNetConfig video = UNetConfig.sd15Keyframes();
    long image = new VideoUNet(video.imageOnly()).parameterCount();
    // diffusers UNet2DConditionModel of runwayml/stable-diffusion-v1-5
    assertEquals(859_520_964L, image);
    long full = new VideoUNet(video).parameterCount();
    assertTrue("video additions add parameters", full > image);
  }

  @Test
  public void freshVideoUNetEqualsImageUNetPerFrame() {
    UNetConfig c = UNetConfig.tinyKeyframes();
    VideoUNet video = new VideoUNet(c);
    video.initialize(manager, 3);
    VideoUNet image = new VideoUNet(c.imageOnly());
    Map<String, NDArray> spatial = new LinkedHashMap<>();
    image.namedParameters().keySet().forEach(k -> spatial.put(k, video.stateDict().get(k)));
    image.loadWeights(spatial, "video U-Net");

    int f = c.numFrames();
    NDArray x = seeded(11, 1, f, 4, 8, 8);
    NDArray t = manager.create(new float[] {321f});
    Conditioning cv = cond(c, 1);
    NDArray out = video.forward(x, t, cv);
    for (int i = 0; i < f; i++) {
      NDArray frame = x.get(new NDIndex(":, {}:{}", i, i + 1));
      NDArray ref = image.forward(frame, t, Conditioning.text(cv.context()));
      float diff = out.get(new NDIndex(":, {}:{}", i, i + 1)).sub(ref).abs().max().getFloat();
      assertTrue("frame " + i + " differs by " + diff, diff < 1e-5f);
    }
  }

  private float[] frameChange(VideoUNet net, UNetConfig c, int k) {
    int f = c.numFrames();
    NDArray x = seeded(21, 1, f, 4, 8, 8);
    NDArray t = manager.create(new float[] {500f});
    Conditioning cv = cond(c, 1);
    NDArray base = net.forward(x, t, cv);
    NDArray bumped = x.duplicate();
    bumped.set(new NDIndex("0, {}", k), bumped.get(new NDIndex("0, {}", k)).add(seeded(99, 4, 8, 8)));
    NDArray diff = net.forward(bumped, t, cv).sub(base).abs();
    float[] perFrame = new float[f];
    for (int i = 0; i < f; i++) {
      perFrame[i] = diff.get(new NDIndex("0, {}", i)).max().getFloat();
    }
    return perFrame;
  }

  @Test
  public void directedTemporalAttentionIsCausal() {
    UNetConfig c = UNetConfig.tinyKeyframes();
    VideoUNet net = new VideoUNet(c);
    net.initialize(manager, 5);
    perturbIdentityParameters(net, 9);
    int k = 3;
    float[] change = frameChange(net, c, k);
    for (int i = 0; i < c.numFrames(); i++) {
      if (i < k) {
        assertEquals("frame " + i + " must not see frame " + k, 0f, change[i], 0f);
      } else {
        assertTrue("frame " + i + " must see frame " + k + ": " + change[i], change[i] > 1e-4f);
      }
    }
  }

  @Test
  public void bidirectionalTemporalAttentionSeesEveryFrame() {
    UNetConfig c = UNetConfig.tinyKeyframes().withTemporal(DirectedTemporalAttention.Mode.BIDIRECTIONAL);
    VideoUNet net = new VideoUNet(c);
    net.initialize(manager, 5);
    perturbIdentityParameters(net, 9);
    float[] change = frameChange(net, c, 3);
    for (int i = 0; i < c.numFrames(); i++) {
      assertTrue("frame " + i + ": " + change[i], change[i] > 1e-4f);
    }
  }

  /**
   * With the cross-attention's values zeroed (the mid block always has one), only the text-time
   * embedding can carry the prompt: with it the output depends on the context, without it the
   * context is never read. Its weights carry diffusers' add_embedding names.
   */
  @Test
  public void theTextTimeEmbeddingCarriesThePromptWithoutCrossAttention() {
    UNetConfig plain = new UNetConfig(4, 4, new int[] {32, 64}, new boolean[] {false, false}, 1, 32, 4, 8,
        DirectedTemporalAttention.Mode.DIRECTED, true, 8, true, false);
    UNetConfig withText = plain.withTextTimeEmbedding(true);
    NDArray x = seeded(11, 1, 8, 4, 8, 8);
    NDArray t = manager.create(new float[] {700f});
    NDArray fps = manager.create(new float[] {8f});
    Conditioning a = Conditioning.text(seeded(7, 1, 5, 32)).withFps(fps);
    Conditioning b = Conditioning.text(seeded(8, 1, 5, 32)).withFps(fps);
    for (UNetConfig c : new UNetConfig[] {plain, withText}) {
      VideoUNet net = new VideoUNet(c);
      net.initialize(manager, 5);
      perturbIdentityParameters(net, 9);
      net.namedParameters().forEach((name, p) -> {
        if (name.contains("attn2.to_v.")) {
          p.array().set(new float[Math.toIntExact(p.shape().size())]);
        }
      });
      float change = net.forward(x, t, a).sub(net.forward(x, t, b)).abs().max().getFloat();
      if (c.textTimeEmbedding()) {
        assertTrue("the prompt must change the output: " + change, change > 1e-3f);
      } else {
        assertEquals(0f, change, 0f);
      }
    }
    Map<String, Shape> shapes = new VideoUNet(withText).parameterShapes();
    assertEquals(new Shape(1, 32), shapes.get("add_embedding.pool.positional_embedding"));
    assertEquals(new Shape(32, 32), shapes.get("add_embedding.pool.q_proj.weight"));
    assertEquals(new Shape(withText.timeEmbedDim(), 32), shapes.get("add_embedding.proj.weight"));
    assertEquals(new Shape(withText.timeEmbedDim()), shapes.get("add_embedding.norm2.weight"));
    assertTrue(new VideoUNet(plain).parameterShapes().keySet().stream().noneMatch(k -> k.startsWith("add_embedding")));
  }
}
