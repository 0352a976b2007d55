package magicvideo.models.io;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A model on disk: a directory holding {@code model.json} ({@link ModelManifest}), one
 * safetensors file per component and the tokenizer's {@code tokenizer.json}. Opening verifies
 * every listed file against its recorded size and SHA-256, so a directory that opens is exactly
 * the one that was written, and its {@link #fingerprint()} identifies it in run manifests.
 */
public final class ModelDirectory {

  public static final String MANIFEST_FILE = "model.json";
  public static final String TOKENIZER_FILE = "tokenizer.json";
  public static final String WEIGHTS_SUFFIX = ".safetensors";

  private final Path root;
  private final ModelManifest manifest;
  private final String fingerprint;

  private ModelDirectory(Path root, ModelManifest manifest, String fingerprint) {
    this.root = root;
    this.manifest = manifest;
    this.fingerprint = fingerprint;
  }

  /**
   * Opens and verifies the model directory {@code root}: model.json must parse, and every file
   * it lists must lie inside the directory and match its recorded size and SHA-256. Hashing reads
   * every weight file once (seconds per gigabyte).
   */
  public static ModelDirectory open(Path root) throws IOException {
    Path directory = root.toAbsolutePath().normalize();
    Path manifestFile = directory.resolve(MANIFEST_FILE);
    byte[] json;
    try {
      json = Files.readAllBytes(manifestFile);
    } catch (NoSuchFileException e) {
      throw new IOException(manifestFile + " does not exist: " + directory
          + " is not a model directory", e);
    }
    ModelManifest manifest;
    try {
      manifest = ModelManifest.fromJson(json);
    } catch (IOException e) {
      throw new IOException(manifestFile + " is not a valid model manifest: " + e.getMessage(), e);
    }
    ModelDirectory model = new ModelDirectory(directory, manifest, Sha256.of(json));
    for (Map.Entry<String, ModelComponent> component : manifest.components().entrySet()) {
      model.verify(component.getKey(), component.getValue());
    }
    model.verify("tokenizer", manifest.tokenizer());
    return model;
  }

  private void verify(String component, ModelComponent entry) throws IOException {
    Path file = resolve(component, entry.file());
    String what = "component '" + component + "' file " + file;
    if (!Files.isRegularFile(file)) {
      throw new IOException(what + " is missing (listed in " + root.resolve(MANIFEST_FILE) + ")");
    }
    long size = Files.size(file);
    if (size != entry.bytes()) {
      throw new IOException(what + " has " + size + " bytes, expected " + entry.bytes());
    }
    String sha256 = Sha256.of(file);
    if (!sha256.equals(entry.sha256())) {
      throw new IOException(what + " has sha256 " + sha256 + ", expected " + entry.sha256()
          + " (modified or corrupted after the model was written)");
    }
  }

  /**
   * The file a manifest entry names, refusing names that lead outside the directory: absolute
   * paths, {@code ..} segments and symbolic links pointing elsewhere.
   */
  private Path resolve(String component, String name) throws IOException {
    Path relative = root.getFileSystem().getPath(name);
    Path file = root.resolve(relative).normalize();
    if (relative.isAbsolute() || !file.startsWith(root) || file.equals(root)) {
      throw new IOException("component '" + component + "' file '" + name + "' in "
          + root.resolve(MANIFEST_FILE) + " lies outside the model directory " + root);
    }
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
        && !file.toRealPath().startsWith(root.toRealPath())) {
      throw new IOException("component '" + component + "' file '" + name + "' in "
          + root.resolve(MANIFEST_FILE) + " links to " + file.toRealPath()
          + ", outside the model directory " + root);
    }
    return file;
  }

  public Path root() {
    return root;
  }

  public ModelManifest manifest() {
    return manifest;
  }

  /** SHA-256 of model.json, which records the hash of every file: one id for the whole model. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The weights file of {@code component}. */
  public Path weightsFile(String component) {
    return root.resolve(manifest.component(component).file());
  }

  public Path tokenizerFile() {
    return root.resolve(manifest.tokenizer().file());
  }

  public SafeTensorsReader openWeights(String component) throws IOException {
    return SafeTensorsReader.open(weightsFile(component));
  }

  /** See {@link ModelManifest#config}. */
  public <T> T config(String component, Class<T> type) {
    return manifest.config(component, type);
  }

  public <T> T tokenizerConfig(Class<T> type) {
    return manifest.tokenizerConfig(type);
  }

  /**
   * Fails unless a model can be written to {@code directory}: it must not exist or be an empty
   * directory. {@link Builder#write} checks this too; a long build checks it before it starts.
   */
  public static void checkTarget(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    if (!Files.isDirectory(directory)) {
      throw new IOException("cannot write a model to " + directory + ": it is a file");
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      if (entries.iterator().hasNext()) {
        throw new IOException("cannot write a model to " + directory
            + ": the directory is not empty");
      }
    }
  }

  /**
   * Deletes the model directory {@code dir} if it exists. A model directory is flat (model.json,
   * one weights file per component, tokenizer.json), so its files are deleted, then the folder.
   */
  public static void deleteIfExists(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  public static Builder builder(String name, String version, String description) {
    return new Builder(name, version, description);
  }

  /** Collects a model's parts, then writes them as a model directory in one step. */
  public static final class Builder {

    private final String name;
    private final String version;
    private final String description;
    private final Map<String, PendingComponent> components = new LinkedHashMap<>();
    private Path tokenizerSource;
    private Object tokenizerConfig;
    private TensorDType weightType = TensorDType.F32;

    private Builder(String name, String version, String description) {
      this.name = name;
      this.version = version;
      this.description = description;
    }

    /**
     * A component whose weights are a network's parameters. The file's metadata says
     * {@code format: pt}, which Python loaders (transformers, diffusers) require.
     */
    public Builder component(String component, Object config, Map<String, NDArray> parameters) {
      return add(component, config, file -> SafeTensors.writeArrays(file, parameters,
          Map.of("format", "pt"), weightType));
    }

    /** A component whose weights already are a safetensors file (validated, then copied). */
    public Builder componentFile(String component, Object config, Path safetensors) {
      return add(component, config, file -> {
        SafeTensorsReader.open(safetensors).close();
        Files.copy(safetensors, file);
      });
    }

    private Builder add(String component, Object config, WeightsWriter weights) {
      if (components.putIfAbsent(component,
          new PendingComponent(ModelManifest.configTree(config), weights)) != null) {
        throw new IllegalArgumentException("component '" + component + "' added twice");
      }
      return this;
    }

    /** The tokenizer.json to copy into the model, and the tokenizer's config. */
    public Builder tokenizer(Path tokenizerJson, Object config) {
      this.tokenizerSource = tokenizerJson;
      this.tokenizerConfig = config;
      return this;
    }

    /** Element type of the weight files written from NDArrays; F32 unless set. */
    public Builder weightType(TensorDType weightType) {
      SafeTensors.requireWeightType(weightType);
      this.weightType = weightType;
      return this;
    }

    /**
     * Writes the model to {@code target}, which must not exist or be an empty directory. All
     * files are written to a staging directory beside it, which is then renamed to
     * {@code target}: a reader never sees a half-written model.
     */
    public ModelDirectory write(Path target) throws IOException {
      if (tokenizerSource == null) {
        throw new IllegalStateException("model " + name + " has no tokenizer; call tokenizer()");
      }
      Path directory = target.toAbsolutePath().normalize();
      checkTarget(directory);
      Path staging = directory.resolveSibling(
          "." + directory.getFileName() + "." + UUID.randomUUID() + ".tmp");
      Files.createDirectories(staging);
      try {
        Map<String, ModelComponent> entries = new LinkedHashMap<>();
        for (Map.Entry<String, PendingComponent> component : components.entrySet()) {
          String file = component.getKey() + WEIGHTS_SUFFIX;
          component.getValue().weights().writeTo(staging.resolve(file));
          entries.put(component.getKey(),
              describe(staging, file, component.getValue().config()));
        }
        Files.copy(tokenizerSource, staging.resolve(TOKENIZER_FILE));
        ModelComponent tokenizer = describe(staging, TOKENIZER_FILE,
            ModelManifest.configTree(tokenizerConfig));
        ModelManifest manifest =
            new ModelManifest(name, version, description, entries, tokenizer);
        byte[] json = manifest.toJson();
        AtomicFiles.write(staging.resolve(MANIFEST_FILE), json);
        Files.deleteIfExists(directory);
        Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        return new ModelDirectory(directory, manifest, Sha256.of(json));
      } finally {
        deleteRecursively(staging);
      }
    }

    private static ModelComponent describe(Path directory, String file,
        JsonNode config) throws IOException {
      Path path = directory.resolve(file);
      return new ModelComponent(config, file, Sha256.of(path), Files.size(path));
    }

    private static void deleteRecursively(Path path) throws IOException {
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try (Stream<Path> walk = Files.walk(path)) {
        for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }
  }

  /** Writes one component's weights file. */
  @FunctionalInterface
  private interface WeightsWriter {
    void writeTo(Path file) throws IOException;
  }

  private record PendingComponent(
      JsonNode config, WeightsWriter weights) {}
}
