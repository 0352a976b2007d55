package magicvideo.transforms.outputs;

/** Text placed in the HTML pages written next to a run's outputs (gallery, evaluation). */
public final class HtmlText {
  private HtmlText() {}

  /**
   * Escapes the five characters that are special in HTML text and quoted attributes. Prompts are
   * user input: a prompt such as {@code <script>} must show as text.
   */
  public static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
