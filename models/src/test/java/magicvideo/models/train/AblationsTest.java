package magicvideo.models.train;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import magicvideo.models.io.ModelDirectory;
import org.junit.Test;

/** The ablations' command-line choices (the runs themselves take tens of minutes: README "Ablations"). */
public class AblationsTest {
  @Test
  public void anUnknownKeyframeVariantIsRefusedWithTheKnownNames() throws Exception {
    ModelDirectory shipped = ModelDirectory.open(ShippedDemoModelTest.SHIPPED);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Ablations(shipped,
        Path.of("unused"), 10, 1, 1, List.of("directed", "sideways"), quiet));
    assertTrue(e.getMessage(), e.getMessage().contains("sideways") && e.getMessage().contains("no-adaptor"));
    new Ablations(shipped, Path.of("unused"), 10, 1, 1, Ablations.VARIANTS, quiet); // every known one is accepted
  }
}
