package magicvideo.transforms.stages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
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
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Turns a model location on any Beam filesystem (local folder, gs://...) into a verified local
 * model directory. A remote model is copied once per worker JVM into a cache folder named by the
 * location's hash, into a staging folder first and renamed when complete, then opened, which
 * checks every file against model.json's sha256. A corrupt or missing model fails here, before
 * any work.
 */
public final class ModelCache {
  private static final Map<String, ModelDirectory> OPENED = new ConcurrentHashMap<>();

  private ModelCache() {}

  /** The verified local model for {@code location} (cached per JVM). */
  public static ModelDirectory open(String location) throws IOException {
    try {
      return OPENED.computeIfAbsent(location, l -> {
        try {
          return ModelDirectory.open(localCopy(l));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Path localCopy(String location) throws IOException {
    if (!location.contains("://") || location.startsWith("file://")) {
      return Path.of(location.startsWith("file://") ? location.substring("file://".length()) : location);
    }
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "magicvideo-models",
        Sha256.of(location.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
    if (Files.isDirectory(cache)) {
      return cache;
    }
    Files.createDirectories(cache.getParent());
    Path staging = Files.createTempDirectory(cache.getParent(), "staging-");
    byte[] manifestBytes = read(location, ModelDirectory.MANIFEST_FILE);
    Files.write(staging.resolve(ModelDirectory.MANIFEST_FILE), manifestBytes);
    ModelManifest manifest = ModelManifest.fromJson(manifestBytes);
    List<String> files = new ArrayList<>();
    manifest.components().values().stream().map(ModelComponent::file).forEach(files::add);
    files.add(manifest.tokenizer().file());
    for (String file : files) {
      try (InputStream in = Channels.newInputStream(FileSystems.open(resolve(location, file)))) {
        Files.copy(in, staging.resolve(file), StandardCopyOption.REPLACE_EXISTING);
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

  private static ResourceId resolve(String location, String file) {
    ResourceId dir = FileSystems.matchNewResource(location.endsWith("/") ? location : location + "/", true);
    return dir.resolve(file, org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
  }

  private static byte[] read(String location, String file) throws IOException {
    try (InputStream in = Channels.newInputStream(FileSystems.open(resolve(location, file)))) {
      return in.readAllBytes();
    } catch (java.io.FileNotFoundException e) {
      throw new IOException("model " + location + " has no " + file + ": is this a MagicVideo model directory?", e);
    }
  }
}
