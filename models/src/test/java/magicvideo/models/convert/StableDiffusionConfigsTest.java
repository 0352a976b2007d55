package magicvideo.models.convert;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import magicvideo.models.io.TensorDType;
import magicvideo.models.io.TensorInfo;
import magicvideo.models.sampling.BetaSchedule;
import magicvideo.models.sampling.PredictionType;
import magicvideo.models.sampling.SchedulerConfig;
import magicvideo.models.sampling.TimestepSpacing;
import magicvideo.models.text.ClipTextConfig;
import magicvideo.models.text.ClipTextEncoder;
import magicvideo.models.unet.UNetConfig;
import magicvideo.models.unet.VideoUNet;
import magicvideo.models.vae.VaeConfig;
import magicvideo.models.vae.VideoVae;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The config mapping on Stable Diffusion 1.5's real config files, and its refusals. */
public class StableDiffusionConfigsTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();

  private static ConfigFile resource(String name) throws IOException {
    try {
      return ConfigFile.read(Path.of(StableDiffusionConfigsTest.class.getResource(name).toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private ConfigFile file(ObjectNode json) throws IOException {
    Path file = tmp.newFolder().toPath().resolve("config.json");
    Files.write(file, JSON.writeValueAsBytes(json));
    return ConfigFile.read(file);
  }

  @Test
  public void sd15ConfigsGiveTheSd15NetworksWithTheirKnownParameterCounts() throws IOException {
    UNetConfig unet = StableDiffusionConfigs.unet(resource("sd15-unet-config.json"));
    assertEquals(859_520_964L, new VideoUNet(unet).parameterCount());
    UNetConfig sd15 = UNetConfig.sd15Keyframes();
    assertArrayEquals(sd15.blockOutChannels(), unet.blockOutChannels());
    assertArrayEquals(sd15.crossAttention(), unet.crossAttention());
    assertEquals(sd15.attentionHeads(), unet.attentionHeads());
    assertEquals(null, unet.temporal());
    assertEquals(UNetConfig.sd15Keyframes(), InitFromStableDiffusion.keyframeUNet(unet, 16));
    assertEquals(UNetConfig.sd15Interpolation(3),
        InitFromStableDiffusion.interpolationUNet(unet, 3));
    // a config re-saved by a newer diffusers spells out every default: the same network
    assertEquals(unet, StableDiffusionConfigs.unet(resource("sd15-unet-config-resaved.json")));

    VaeConfig vae = StableDiffusionConfigs.vae(resource("sd15-vae-config.json"));
    assertEquals(VaeConfig.sd15().imageOnly(), vae);
    assertEquals(83_653_863L, new VideoVae(vae).parameterCount());

    ClipTextConfig text =
        StableDiffusionConfigs.clipText(resource("sd15-text-encoder-config.json"), 49407, 49407);
    assertEquals(ClipTextConfig.sd15(), text);
    assertEquals(123_060_480L, new ClipTextEncoder(text).parameterCount());
  }

  @Test
  public void aListOfEqualHeadCountsIsOneHeadCount() throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(
        getClass().getResourceAsStream("sd15-unet-config.json"));
    json.putArray("attention_head_dim").add(8).add(8).add(8).add(8);
    assertEquals(8, StableDiffusionConfigs.unet(file(json)).attentionHeads());
  }

  @Test
  public void anEosIdThatIsNeitherTheTokenizersNorTheLegacyMarkerIsRefused() throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(
        getClass().getResourceAsStream("sd15-text-encoder-config.json"));
    json.put("eos_token_id", 49406);
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> StableDiffusionConfigs.clipText(file(json), 49407, 49407));
    assertTrue(e.getMessage(), e.getMessage().contains(
        "eos_token_id is 49406, but the tokenizer's end-of-text token has id 49407"));
  }

  @Test
  public void schedulerFieldsAreMappedAndAbsentOnesTakeStableDiffusionsValues() throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("_class_name", "DDIMScheduler").put("prediction_type", "v_prediction")
        .put("timestep_spacing", "trailing").put("steps_offset", 0).put("beta_end", 0.02)
        .put("clip_sample", true);
    SchedulerConfig mapped = StableDiffusionConfigs.scheduler(file(json));
    SchedulerConfig sd = SchedulerConfig.stableDiffusion();
    assertEquals(new SchedulerConfig(1000, sd.betaStart(), 0.02, BetaSchedule.SCALED_LINEAR,
        PredictionType.V_PREDICTION, TimestepSpacing.TRAILING, 0, false), mapped);
  }

  @Test
  public void schedulersWeCannotRepresentAreRefusedNamingFileAndField() throws IOException {
    ObjectNode betas = JSON.createObjectNode();
    betas.putArray("trained_betas").add(0.1).add(0.2);
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> StableDiffusionConfigs.scheduler(file(betas)));
    assertTrue(e.getMessage(), e.getMessage().contains("config.json: trained_betas is [0.1,0.2]"));

    ObjectNode schedule = JSON.createObjectNode().put("beta_schedule", "sigmoid");
    e = assertThrows(CheckpointException.class,
        () -> StableDiffusionConfigs.scheduler(file(schedule)));
    assertTrue(e.getMessage(), e.getMessage().contains("Unknown beta_schedule 'sigmoid'"));
  }

  @Test
  public void oldVaeAttentionNamesAndConvShapesBecomeTodays() {
    SourceCheckpoint.View view = LegacyVaeNames.view(new TensorInfo(
        "encoder.mid_block.attentions.0.proj_attn.weight", TensorDType.F32,
        new long[] {512, 512, 1, 1}, 0, 4 * 512 * 512));
    assertEquals("encoder.mid_block.attentions.0.to_out.0.weight", view.name());
    assertArrayEquals(new long[] {512, 512}, view.shape().getShape());

    SourceCheckpoint.View bias = LegacyVaeNames.view(new TensorInfo(
        "decoder.mid_block.attentions.0.key.bias", TensorDType.F32, new long[] {512}, 0, 2048));
    assertEquals("decoder.mid_block.attentions.0.to_k.bias", bias.name());

    // a real 1x1 convolution keeps its name and shape
    SourceCheckpoint.View conv = LegacyVaeNames.view(new TensorInfo(
        "quant_conv.weight", TensorDType.F32, new long[] {8, 8, 1, 1}, 0, 256));
    assertEquals("quant_conv.weight", conv.name());
    assertArrayEquals(new long[] {8, 8, 1, 1}, conv.shape().getShape());
  }
}
