package magicvideo.transforms.stages;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Keyed by content, not location: a model replaced at the same gs:// path gets a new copy
 * instead of the stale one, and a worker that has the model already (a later job, another DoFn)
 * only reads model.json remotely. The cache lives under the system property {@value
 * #ROOT_PROPERTY} of the worker JVM, by default {@code java.io.tmpdir/magicvideo-models}: point it
 * at a disk with room, a Stable-Diffusion-sized model takes gigabytes.
 */
public final class ModelCache {
  public static final String ROOT_PROPERTY = "magicvideo.modelCache";

  private static final Map<String, ModelDirectory> OPENED = new ConcurrentHashMap<>();

  private ModelCache() {}

  /** The verified local model for {@code location} (opened once per JVM). */
  public static ModelDirectory open(String location) throws IOException {
    try {
      return OPENED.computeIfAbsent(
          location,
          l -> {
            try {
              return ModelDirectory.open(localCopy(l));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The cache folder: {@value #ROOT_PROPERTY}, else {@code java.io.tmpdir/magicvideo-models}. */
  public static Path root() {
    String root = System.getProperty(ROOT_PROPERTY);
    return root != null
        ? Path.of(root)
        : Path.of(System.getProperty("java.io.tmpdir"), "magicvideo-models");
  }

  private static Path localCopy(String location) throws IOException {
    ResourceId directory = FileSystems.matchNewResource(location, true);
    if ("file".equals(directory.getScheme())) {
      // Beam's local filesystem reads plain paths and file:// URIs alike
      return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }
    byte[] manifestBytes = read(directory, ModelDirectory.MANIFEST_FILE);
    Path cache = root().resolve(Sha256.of(manifestBytes));
    if (Files.isDirectory(cache)) {
      return cache;
    }
    Files.createDirectories(root());
    Path staging = Files.createTempDirectory(root(), "staging-");
    Files.write(staging.resolve(ModelDirectory.MANIFEST_FILE), manifestBytes);
    for (String file : listedFiles(location, manifestBytes)) {
      Path target = staging.resolve(file).normalize();
      if (!target.startsWith(staging) || target.equals(staging)) {
        throw new IOException(
            "model " + location + " lists file '" + file + "', outside its directory");
      }
      Files.createDirectories(target.getParent());
      try (InputStream in = open(directory, file)) {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try {
      Files.move(staging, cache, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      // another thread or process finished the same copy first; theirs is as good as ours
      if (!Files.isDirectory(cache)) {
        throw raced;
      }
    }
    return cache;
  }

  /** The weights and tokenizer files model.json lists. */
  private static List<String> listedFiles(String location, byte[] manifestBytes)
      throws IOException {
    ModelManifest manifest;
    try {
      manifest = ModelManifest.fromJson(manifestBytes);
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(
          "model " + location + " has an invalid " + ModelDirectory.MANIFEST_FILE + ": "
              + e.getMessage(),
          e);
    }
    List<String> files = new ArrayList<>();
    manifest.components().values().stream().map(ModelComponent::file).forEach(files::add);
    files.add(manifest.tokenizer().file());
    return files;
  }

  private static byte[] read(ResourceId directory, String file) throws IOException {
    try (InputStream in = open(directory, file)) {
      return in.readAllBytes();
    }
  }

  private static InputStream open(ResourceId directory, String file) throws IOException {
    ResourceId resource = directory.resolve(file, StandardResolveOptions.RESOLVE_FILE);
    try {
      return Channels.newInputStream(FileSystems.open(resource));
    } catch (FileNotFoundException e) {
      throw new IOException(
          "model " + directory + " has no " + file + ": is this a MagicVideo model directory?", e);
    }
  }
}
