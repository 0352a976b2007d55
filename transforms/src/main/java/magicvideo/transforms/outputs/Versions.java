package magicvideo.transforms.outputs;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.util.ReleaseInfo;

/** The versions a run record names, so a result can be traced to the code that made it. */
public final class Versions {
  private static final String PROJECT_VERSION_RESOURCE = "version.properties";

  private Versions() {}

  /**
   * {@code magicvideo}, {@code beam}, {@code djl} and {@code java} versions of this JVM. DJL's
   * version is read from its API jar; no engine or native library is loaded for it.
   */
  public static Map<String, String> current() {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("magicvideo", project());
    versions.put("beam", ReleaseInfo.getReleaseInfo().getVersion());
    versions.put("djl", Engine.getDjlVersion());
    versions.put("java", Runtime.version().toString());
    return versions;
  }

  /** This project's version, written into a resource by the build. */
  static String project() {
    try (InputStream in = Versions.class.getResourceAsStream(PROJECT_VERSION_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            PROJECT_VERSION_RESOURCE
                + " is missing beside "
                + Versions.class.getName()
                + ": the build did not package the resources");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PROJECT_VERSION_RESOURCE, e);
    }
  }
}
