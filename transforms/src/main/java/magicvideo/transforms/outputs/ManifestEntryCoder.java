package magicvideo.transforms.outputs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Codes a {@link ManifestEntry} as its JSON line. Deterministic: {@link ManifestEntry#toJsonLine()}
 * writes equal entries as equal text, so entries may be keys and the coder passes Beam's
 * determinism checks.
 */
public final class ManifestEntryCoder extends AtomicCoder<ManifestEntry> {
  private static final ManifestEntryCoder INSTANCE = new ManifestEntryCoder();
  private static final StringUtf8Coder LINE_CODER = StringUtf8Coder.of();

  private ManifestEntryCoder() {}

  public static ManifestEntryCoder of() {
    return INSTANCE;
  }

  /** Looked up by Beam through {@code @DefaultCoder} on {@link ManifestEntry}. */
  public static CoderProvider getCoderProvider() {
    return CoderProviders.forCoder(TypeDescriptor.of(ManifestEntry.class), INSTANCE);
  }

  @Override
  public void encode(ManifestEntry entry, OutputStream out) throws IOException {
    LINE_CODER.encode(entry.toJsonLine(), out);
  }

  @Override
  public ManifestEntry decode(InputStream in) throws IOException {
    return ManifestEntry.fromJsonLine(LINE_CODER.decode(in));
  }
}
