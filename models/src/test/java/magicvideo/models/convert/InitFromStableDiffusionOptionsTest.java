package magicvideo.models.convert;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Path;
import magicvideo.models.unet.UNetConfig;
import org.junit.Test;

/** The init-from-sd command line. */
public class InitFromStableDiffusionOptionsTest {

  private static String refusal(String... args) {
    return assertThrows(IllegalArgumentException.class,
        () -> InitFromStableDiffusion.Options.parse(args)).getMessage();
  }

  @Test
  public void everyOptionIsParsed() {
    InitFromStableDiffusion.Options o = InitFromStableDiffusion.Options.parse(new String[] {
        "--sd=/models/sd15", "--output=out", "--frames=8", "--between=2", "--size=512", "--f16",
        "--upscaler=/models/mv", "--seed=5"});
    assertEquals(new InitFromStableDiffusion.Options(Path.of("/models/sd15"), Path.of("out"), 8, 2,
        512, true, Path.of("/models/mv"), UNetConfig.sd15SuperResolution(), 5), o);
  }

  @Test
  public void omittedOptionsTakeThePapersSettings() {
    assertEquals(InitFromStableDiffusion.Options.of(Path.of("sd"), Path.of("out")),
        InitFromStableDiffusion.Options.parse(new String[] {"--sd=sd", "--output=out"}));
    InitFromStableDiffusion.Options o =
        InitFromStableDiffusion.Options.of(Path.of("sd"), Path.of("o"));
    assertEquals(16, o.keyframes());
    assertEquals(3, o.between());
    assertEquals(256, o.frameSize());
  }

  @Test
  public void badCommandLinesAreRefusedSayingWhatIsWrong() {
    assertEquals("unknown argument '--steps=3'", refusal("--sd=a", "--output=b", "--steps=3"));
    assertEquals("unknown argument 'sd'", refusal("sd", "--output=b"));
    assertEquals("--output is required", refusal("--sd=a"));
    assertEquals("--sd needs a value: --sd=...", refusal("--sd", "--output=b"));
    assertEquals("--frames takes an integer, got 'x'",
        refusal("--sd=a", "--output=b", "--frames=x"));
    assertEquals("--sd is given twice", refusal("--sd=a", "--sd=b", "--output=b"));
    assertEquals("--f16 takes true or false, got 'yes'",
        refusal("--sd=a", "--output=b", "--f16=yes"));
    assertEquals("need frames >= 2, between >= 1 and size >= 1, got 16, 0, 256",
        refusal("--sd=a", "--output=b", "--between=0"));
  }
}
