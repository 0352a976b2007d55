package magicvideo.transforms.stages;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import magicvideo.models.generate.Stage;
import magicvideo.models.generate.VideoGenerator;

/**
 * One VideoGenerator per (model, stage) per worker JVM, shared by every DoFn instance and thread
 * of that stage and closed when the last user tears down. Runners create many DoFn instances (one
 * per thread, and again after failures); loading a network per instance would multiply GPU memory
 * and load time.
 */
final class SharedGenerators {
  private record Key(String model, Set<Stage> stages) {}

  private static final class Entry {
    final VideoGenerator generator;
    int users;

    Entry(VideoGenerator generator) {
      this.generator = generator;
    }
  }

  private static final Map<Key, Entry> ENTRIES = new HashMap<>();

  private SharedGenerators() {}

  /** The shared generator for {@code stage} of {@code model}; pair with {@link #release}. */
  static synchronized VideoGenerator acquire(String model, Stage stage) throws IOException {
    Key key = new Key(model, EnumSet.of(stage));
    Entry e = ENTRIES.get(key);
    if (e == null) {
      e = new Entry(VideoGenerator.open(ModelCache.open(model), key.stages(),
          ai.djl.engine.Engine.getInstance().defaultDevice()));
      ENTRIES.put(key, e);
    }
    e.users++;
    return e.generator;
  }

  static synchronized void release(String model, Stage stage) {
    Key key = new Key(model, EnumSet.of(stage));
    Entry e = ENTRIES.get(key);
    if (e != null && --e.users == 0) {
      ENTRIES.remove(key);
      e.generator.close();
    }
  }
}
