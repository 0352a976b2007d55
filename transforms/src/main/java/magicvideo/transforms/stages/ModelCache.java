package magicvideo.transforms.stages;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import magicvideo.models.io.ModelComponent;
import magicvideo.models.io.ModelDirectory;
import magicvideo.models.io.ModelManifest;
import magicvideo.models.io.Sha256;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Turns a model location on any Beam filesystem (local folder, gs://...) into a verified local
 * model directory. A remote model is copied into a cache folder named by its model.json's SHA-256
 * (the model's fingerprint, which records every file's hash), into a staging folder first and
 * renamed when complete, then opened, which checks every file against model.json. A corrupt or
 * missing model fails here, before any work.
 *
 * <p>Keyed by content, not only by location: a long-lived worker (a Flink session cluster) that
 * runs a later job after the model at the same path was replaced copies and opens the new one, and
 * a worker that has a model already reads only its model.json remotely. The copies live under the
 * worker JVM's system property {@value #ROOT_PROPERTY}, by default {@code
 * java.io.tmpdir/magicvideo-models}: a Stable-Diffusion-sized model takes gigabytes.
 */
public final class ModelCache {
  public static final String ROOT_PROPERTY = "magicvideo.modelCache";

  private record Key(String directory, String fingerprint) {}

  private static final Map<Key, ModelDirectory> OPENED = new ConcurrentHashMap<>();

  private ModelCache() {}

  /**
   * The verified local model for {@code location}: opened (every file hashed) once per JVM and
   * model.json content.
   */
  public static ModelDirectory open(String location) throws IOException {
    ResourceId manifestFile = manifestFile(location);
    byte[] manifest = read(manifestFile);
    // the matched directory, not the string: "gs://b/m" and "gs://b/m/" are one model
    Key key = new Key(manifestFile.getCurrentDirectory().toString(), Sha256.of(manifest));
    try {
      return OPENED.computeIfAbsent(
          key,
          k -> {
            try {
              return ModelDirectory.open(localCopy(manifestFile, manifest, k.fingerprint()));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The bytes of model.json in the model directory {@code location}, on any Beam filesystem. */
  public static byte[] readManifest(String location) throws IOException {
    return read(manifestFile(location));
  }

  /** Where remote models are copied: {@value #ROOT_PROPERTY}, else under java.io.tmpdir. */
  public static Path root() {
    String root = System.getProperty(ROOT_PROPERTY);
    return root != null
        ? Path.of(root)
        : Path.of(System.getProperty("java.io.tmpdir"), "magicvideo-models");
  }

  /** Matched rather than built from the string: Beam's matching reads file:// URIs too. */
  private static ResourceId manifestFile(String location) throws IOException {
    String path = location.replaceAll("/+$", "") + "/" + ModelDirectory.MANIFEST_FILE;
    try {
      return FileSystems.matchSingleFileSpec(path).resourceId();
    } catch (FileNotFoundException e) {
      throw new IOException(
          "model directory " + location + " has no " + ModelDirectory.MANIFEST_FILE
              + ": is it a MagicVideo model directory?",
          e);
    }
  }

  private static Path localCopy(ResourceId manifestFile, byte[] manifest, String fingerprint)
      throws IOException {
    ResourceId directory = manifestFile.getCurrentDirectory();
    if ("file".equals(directory.getScheme())) {
      return Path.of(directory.toString());
    }
    Path cache = root().resolve(fingerprint);
    if (Files.isDirectory(cache)) {
      return cache;
    }
    Files.createDirectories(root());
    Path staging = Files.createTempDirectory(root(), "staging-");
    try {
      copyModel(directory, manifest, staging);
      Files.move(staging, cache, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // another thread or process may have finished the same copy first; theirs is as good
      if (!Files.isDirectory(cache)) {
        throw e;
      }
    } finally {
      deleteTree(staging);
    }
    return cache;
  }

  private static void copyModel(ResourceId directory, byte[] manifest, Path staging)
      throws IOException {
    Files.write(staging.resolve(ModelDirectory.MANIFEST_FILE), manifest);
    for (String file : listedFiles(directory, manifest)) {
      Path target = staging.resolve(file).normalize();
      if (!target.startsWith(staging) || target.equals(staging)) {
        throw new IOException(
            "model " + directory + " lists file '" + file + "', outside its directory");
      }
      Files.createDirectories(target.getParent());
      ResourceId source = directory.resolve(file, StandardResolveOptions.RESOLVE_FILE);
      try (InputStream in = Channels.newInputStream(FileSystems.open(source))) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      } catch (FileNotFoundException e) {
        throw new IOException(
            "model " + directory + " lists " + file + " in its " + ModelDirectory.MANIFEST_FILE
                + ", but there is no " + source,
            e);
      }
    }
  }

  /** Removes a staging folder that was not renamed (a failed or lost copy); none is fine. */
  private static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }

  /** The weights and tokenizer files model.json lists. */
  private static List<String> listedFiles(ResourceId directory, byte[] manifest)
      throws IOException {
    ModelManifest parsed;
    try {
      parsed = ModelManifest.fromJson(manifest);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(
          "model " + directory + " has an invalid " + ModelDirectory.MANIFEST_FILE + ": "
              + e.getMessage(),
          e);
    }
    List<String> files = new ArrayList<>();
    parsed.components().values().stream().map(ModelComponent::file).forEach(files::add);
    files.add(parsed.tokenizer().file());
    return files;
  }

  private static byte[] read(ResourceId file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(file))) {
      return in.readAllBytes();
    }
  }
}
