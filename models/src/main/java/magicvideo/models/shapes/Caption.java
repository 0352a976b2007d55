package magicvideo.models.shapes;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What one clip of the shapes world shows: {@code a {colour} {shape} moving {direction}}. */
public record Caption(Colour colour, ShapeKind shape, Direction direction) {
  private static final Pattern FORM = Pattern.compile(
      "\\ban? (red|green|blue|yellow|magenta|cyan|white) (square|circle|triangle) moving (left|right|up|down)\\b");

  public Caption {
    if (colour == null || shape == null || direction == null) {
      throw new IllegalArgumentException("a caption needs a colour, a shape and a direction");
    }
  }

  public String text() {
    return "a " + colour.word() + " " + shape.word() + " moving " + direction.word();
  }

  /**
   * The caption a prompt asks for: the first {@code a {colour} {shape} moving {direction}} in it
   * (case-insensitive; other words around it are allowed), or empty if it names none.
   */
  public static Optional<Caption> parse(String prompt) {
    Matcher m = FORM.matcher(prompt.toLowerCase(Locale.ROOT));
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new Caption(
        Colour.valueOf(m.group(1).toUpperCase(Locale.ROOT)),
        ShapeKind.valueOf(m.group(2).toUpperCase(Locale.ROOT)),
        Direction.valueOf(m.group(3).toUpperCase(Locale.ROOT))));
  }

  @Override
  public String toString() {
    return text();
  }
}
