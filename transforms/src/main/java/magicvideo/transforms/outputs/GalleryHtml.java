package magicvideo.transforms.outputs;

import static magicvideo.transforms.outputs.HtmlText.escape;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import magicvideo.transforms.video.VideoFormat;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Renders the gallery page from what {@link Gallery} found. Every text from the data (prompts, ids,
 * model names) is HTML-escaped: prompts are user input, and a prompt such as {@code <script>} must
 * show as text. The page is self-contained (inline CSS, no scripts).
 */
final class GalleryHtml {
  /**
   * One entry of the manifest; each path is null when the entry has none or the file is missing.
   */
  record Card(
      ManifestEntry entry,
      @Nullable String video,
      @Nullable String preview,
      @Nullable String tensors) {}

  private static final String STYLE =
      "body{font-family:sans-serif;margin:1.5em;background:#fafafa;color:#222}"
          + ".grid{display:flex;flex-wrap:wrap;gap:1em}"
          + "figure{margin:0;width:272px;background:#fff;border:1px solid #ddd;padding:8px}"
          + "video,figure img{width:256px;height:auto;background:#000}"
          + "figcaption{font-size:13px}.prompt{font-weight:bold}"
          + ".meta{color:#555}.missing{color:#b00}";

  private final @Nullable RunRecord run;
  private final List<Card> cards;
  private final long listed;
  private final List<String> manifests;
  private final long failures;
  private final List<String> failureFiles;
  private final StringBuilder html = new StringBuilder();

  GalleryHtml(
      @Nullable RunRecord run,
      List<Card> cards,
      long listed,
      List<String> manifests,
      long failures,
      List<String> failureFiles) {
    this.run = run;
    this.cards = cards;
    this.listed = listed;
    this.manifests = manifests;
    this.failures = failures;
    this.failureFiles = failureFiles;
  }

  String render() {
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>MagicVideo gallery</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>MagicVideo gallery</h1>\n");
    header();
    html.append("<div class=\"grid\">\n");
    for (Card card : cards) {
      card(card);
    }
    html.append("</div>\n</body>\n</html>\n");
    return html.toString();
  }

  private void header() {
    html.append("<p>").append(listed).append(listed == 1 ? " video" : " videos");
    if (listed > cards.size()) {
      html.append(" (the first ").append(cards.size()).append(" by id shown)");
    }
    html.append("; ").append(failures).append(failures == 1 ? " failure" : " failures");
    fileLinks(failureFiles);
    html.append(". Manifest");
    fileLinks(manifests);
    html.append(".</p>\n");
    if (run != null) {
      html.append("<p class=\"meta\">Last run ")
          .append(escape(run.runId()))
          .append(": ")
          .append(escape(run.state()))
          .append(", finished ")
          .append(escape(run.finished().toString()));
      ModelRef model = run.model();
      if (model != null) {
        html.append(", model ")
            .append(escape(model.name()))
            .append(' ')
            .append(escape(model.version()))
            .append(" (")
            .append(
                escape(
                    model.fingerprint().substring(0, Math.min(12, model.fingerprint().length()))))
            .append(")");
      }
      html.append(". Parameters: <a href=\"")
          .append(OutputLayout.RUN_RECORD)
          .append("\">")
          .append(OutputLayout.RUN_RECORD)
          .append("</a>.</p>\n");
    }
  }

  /** Links to files given relative to the output folder, labelled with their names. */
  private void fileLinks(List<String> files) {
    if (files.isEmpty()) {
      return;
    }
    html.append(" (");
    for (int i = 0; i < files.size(); i++) {
      String path = files.get(i);
      html.append(i == 0 ? "" : ", ")
          .append("<a href=\"")
          .append(escape(path))
          .append("\">")
          .append(escape(path.substring(path.lastIndexOf('/') + 1)))
          .append("</a>");
    }
    html.append(")");
  }

  private void card(Card card) {
    ManifestEntry entry = card.entry();
    html.append("<figure id=\"").append(escape(entry.getId())).append("\">\n");
    media(card);
    html.append("<figcaption>\n<div class=\"prompt\">")
        .append(escape(entry.getPrompt()))
        .append("</div>\n");
    if (!entry.getNegativePrompt().isEmpty()) {
      html.append("<div class=\"meta\">not: ")
          .append(escape(entry.getNegativePrompt()))
          .append("</div>\n");
    }
    html.append("<div class=\"meta\">id ")
        .append(escape(entry.getId()))
        .append(" &middot; seed ")
        .append(entry.getSeed())
        .append("<br>")
        .append(escape(entry.getSampler()))
        .append(", ")
        .append(entry.getSteps())
        .append(" steps, guidance ")
        .append(entry.getGuidance())
        .append("<br>")
        .append(entry.getFrames())
        .append(" frames, ")
        .append(entry.getWidth())
        .append('x')
        .append(entry.getHeight())
        .append(" @ ")
        .append(entry.getFps())
        .append(" fps");
    timings(entry.getStageSeconds());
    html.append("</div>\n<div>");
    link(card.video(), "video");
    link(card.preview(), "preview");
    link(card.tensors(), "tensors");
    html.append("</div>\n</figcaption>\n</figure>\n");
  }

  /** The video with its preview as poster and as fallback; the preview alone; or a note. */
  private void media(Card card) {
    String video = card.video();
    String preview = card.preview();
    String alt = escape(card.entry().getPrompt());
    if (video != null) {
      html.append("<video controls loop muted preload=\"none\"");
      if (preview != null) {
        html.append(" poster=\"").append(escape(preview)).append('"');
      }
      html.append(">\n<source src=\"")
          .append(escape(video))
          .append("\" type=\"")
          .append(mimeType(video))
          .append("\">\n");
      if (preview != null) {
        html.append("<img src=\"")
            .append(escape(preview))
            .append("\" alt=\"")
            .append(alt)
            .append("\">\n");
      }
      html.append("</video>\n");
    } else if (preview != null) {
      html.append("<img src=\"")
          .append(escape(preview))
          .append("\" alt=\"")
          .append(alt)
          .append("\">\n");
    } else if (card.entry().getVideo() != null) {
      html.append("<p class=\"missing\">video missing: ")
          .append(escape(card.entry().getVideo()))
          .append("</p>\n");
    }
  }

  private void timings(Map<String, Double> seconds) {
    if (seconds.isEmpty()) {
      return;
    }
    html.append("<br>");
    boolean first = true;
    for (Map.Entry<String, Double> stage : seconds.entrySet()) {
      html.append(first ? "" : " &middot; ")
          .append(escape(stage.getKey()))
          .append(' ')
          .append(String.format(Locale.ROOT, "%.2f s", stage.getValue()));
      first = false;
    }
  }

  private void link(@Nullable String path, String label) {
    if (path != null) {
      html.append("<a href=\"").append(escape(path)).append("\">").append(label).append("</a> ");
    }
  }

  /** The MIME type of a video by extension; browsers skip a source whose type they cannot play. */
  private static String mimeType(String video) {
    String extension = video.substring(video.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    for (VideoFormat format : VideoFormat.values()) {
      if (format.extension().equals(extension)) {
        return format.mimeType();
      }
    }
    return "video/" + escape(extension);
  }
}
