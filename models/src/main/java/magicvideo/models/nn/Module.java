package magicvideo.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A named tree of parameters, as torch.nn.Module: parameter names are the dotted path through the
 * tree ({@code down_blocks.0.resnets.1.conv2.weight}), which is exactly the diffusers state-dict
 * key, so pretrained checkpoints load without a rename table.
 *
 * <p>Parameters are declared with their shapes when the tree is built and allocated later by
 * {@link #initialize} or {@link #loadWeights}; counting the parameters of an SD-sized network
 * therefore costs nothing. Forward passes are plain methods on NDArrays in the subclasses.
 */
public abstract class Module {
  private final Map<String, Param> params = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();

  protected final Param param(String name, Shape shape, Init init) {
    if (params.containsKey(name) || children.containsKey(name)) {
      throw new IllegalStateException("duplicate name " + name + " in " + getClass().getSimpleName());
    }
    Param p = new Param(shape, init);
    params.put(name, p);
    return p;
  }

  protected final <M extends Module> M child(String name, M module) {
    if (params.containsKey(name) || children.containsKey(name)) {
      throw new IllegalStateException("duplicate name " + name + " in " + getClass().getSimpleName());
    }
    children.put(name, module);
    return module;
  }

  /** Registers {@code modules} as {@code name.0, name.1, ...} (torch's ModuleList). */
  protected final <M extends Module> List<M> children(String name, List<M> modules) {
    for (int i = 0; i < modules.size(); i++) {
      child(name + "." + i, modules.get(i));
    }
    return Collections.unmodifiableList(new ArrayList<>(modules));
  }

  /** Every parameter of the tree, in declaration order, keyed by its dotted path. */
  public final Map<String, Param> namedParameters() {
    Map<String, Param> out = new LinkedHashMap<>();
    collect("", out);
    return out;
  }

  private void collect(String prefix, Map<String, Param> out) {
    params.forEach((n, p) -> out.put(prefix + n, p));
    children.forEach((n, c) -> c.collect(prefix + n + ".", out));
  }

  public final long parameterCount() {
    long n = 0;
    for (Param p : namedParameters().values()) {
      n += p.shape().size();
    }
    return n;
  }

  /** Expected shape of every parameter, for checking a weight file before loading it. */
  public final Map<String, Shape> parameterShapes() {
    Map<String, Shape> out = new LinkedHashMap<>();
    namedParameters().forEach((n, p) -> out.put(n, p.shape()));
    return out;
  }

  /**
   * Allocates every parameter on {@code manager} with its initialiser. Each parameter draws from
   * its own stream seeded by (seed, name), so adding a layer does not change the others.
   */
  public final void initialize(NDManager manager, long seed) {
    namedParameters().forEach((name, p) -> p.set(initialValue(manager, seed, name, p)));
  }

  /**
   * The values {@link #initialize} gives the parameters {@code names}, without allocating the
   * others or touching the module: how a converter adds fresh layers (MagicVideo's additions) to
   * pretrained weights without holding a second full copy of the network.
   */
  public final Map<String, NDArray> initialValues(NDManager manager, long seed, Set<String> names) {
    Map<String, Param> mine = namedParameters();
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (String name : names) {
      Param p = mine.get(name);
      if (p == null) {
        throw new IllegalArgumentException(
            getClass().getSimpleName() + " has no parameter " + name);
      }
      out.put(name, initialValue(manager, seed, name, p));
    }
    return out;
  }

  private static NDArray initialValue(NDManager manager, long seed, String name, Param p) {
    float[] values = new float[Math.toIntExact(p.shape().size())];
    p.init().fill(values, new SplittableRandom(seed ^ fnv1a64(name)));
    return manager.create(values, p.shape());
  }

  /**
   * Takes the parameters from {@code weights} (name -> tensor). Every parameter must be present
   * with its exact shape and no unknown name may appear; all problems are reported together.
   */
  public final void loadWeights(Map<String, NDArray> weights, String source) {
    Map<String, Param> mine = namedParameters();
    List<String> problems = new ArrayList<>();
    for (var e : mine.entrySet()) {
      NDArray w = weights.get(e.getKey());
      if (w == null) {
        problems.add("missing tensor " + e.getKey() + " " + e.getValue().shape());
      } else if (!w.getShape().equals(e.getValue().shape())) {
        problems.add("tensor " + e.getKey() + " has shape " + w.getShape() + ", expected "
            + e.getValue().shape());
      }
    }
    TreeSet<String> unexpected = new TreeSet<>(weights.keySet());
    unexpected.removeAll(mine.keySet());
    unexpected.forEach(n -> problems.add("unexpected tensor " + n));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          source + ": weights do not match " + getClass().getSimpleName() + ": "
              + String.join("; ", problems.subList(0, Math.min(20, problems.size())))
              + (problems.size() > 20 ? "; ... (" + problems.size() + " problems)" : ""));
    }
    mine.forEach((n, p) -> {
      NDArray w = weights.get(n);
      p.set(w.getDataType() == DataType.FLOAT32 ? w : w.toType(DataType.FLOAT32, false));
    });
  }

  /**
   * Converts every parameter to {@code type} on {@code manager}'s device (float16 on GPU; never
   * bfloat16, which aborts DJL's PyTorch engine).
   */
  public final void convert(NDManager manager, DataType type) {
    if (type == DataType.BFLOAT16) {
      throw new IllegalArgumentException("bfloat16 is not supported by DJL's PyTorch engine: use float16 or float32");
    }
    for (Param p : namedParameters().values()) {
      NDArray a = p.array();
      if (a.getDataType() != type || !a.getDevice().equals(manager.getDevice())) {
        NDArray moved = a.toDevice(manager.getDevice(), true).toType(type, false);
        moved.attach(manager);
        p.set(moved);
      }
    }
  }

  /** Name -> tensor of every parameter (the live arrays, not copies). */
  public final Map<String, NDArray> stateDict() {
    Map<String, NDArray> out = new LinkedHashMap<>();
    namedParameters().forEach((n, p) -> out.put(n, p.array()));
    return out;
  }

  /** Marks every parameter as trainable so a GradientCollector records its gradient. */
  public final void requireGradients() {
    namedParameters().values().forEach(p -> p.array().setRequiresGradient(true));
  }

  private static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
