package magicvideo.transforms.prompts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Typed access to the named fields of one row, whatever the file format, so that one {@link
 * RowValidator} serves jsonl, CSV, TSV and plain text. Each getter returns null for an absent field
 * and rejects a value of the wrong type, naming the field.
 */
interface RowFields {
  /** A text field; present but empty stays "". */
  @Nullable String string(String name) throws BadRow;

  /** An id: text, or (in JSON) an integer written in decimal. Empty counts as absent. */
  @Nullable String identifier(String name) throws BadRow;

  /** A whole number that fits in a long. */
  @Nullable Long integer(String name) throws BadRow;

  /** A finite decimal number. */
  @Nullable Double number(String name) throws BadRow;

  /** The fields whose names are not in {@code known}, in row order, as a new JSON object. */
  ObjectNode others(Set<String> known);
}
