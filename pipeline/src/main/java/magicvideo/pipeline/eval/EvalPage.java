package magicvideo.pipeline.eval;

import static magicvideo.transforms.outputs.HtmlText.escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import magicvideo.models.shapes.ClipAnalysis;
import magicvideo.models.shapes.ShapesEvaluation;
import magicvideo.models.shapes.ShapesEvaluation.Goal;
import magicvideo.models.shapes.ShapesEvaluation.Group;
import magicvideo.models.shapes.ShapesEvaluation.Measure;
import magicvideo.models.shapes.ShapesEvaluation.Scored;
import magicvideo.models.shapes.ShapesEvaluation.Summary;

/**
 * {@code eval/eval.html}: the evaluation of a run as a page a person reads: goals, a table of
 * accuracies and temporal numbers for seen and held-out combinations, bar charts, and a grid of
 * frame strips with each video's verdicts. Self-contained (inline CSS and SVG, no scripts); links
 * are relative, so the output folder can be copied and still browsed. Every text from the data is
 * escaped: prompts are user input.
 */
final class EvalPage {
  private static final String SEEN_COLOUR = "#3b75af";
  private static final String HELD_OUT_COLOUR = "#ef8636";
  private static final String STYLE =
      "body{font-family:sans-serif;margin:1.5em;background:#fafafa;color:#222}"
          + "table{border-collapse:collapse;margin:0.5em 0}"
          + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
          + "th:first-child,td:first-child{text-align:left}"
          + ".met{color:#070;font-weight:bold}.missed{color:#b00;font-weight:bold}"
          + ".meta,.note{color:#555;font-size:13px}.charts svg{margin:0 2em 1em 0}"
          + ".grid{display:flex;flex-wrap:wrap;gap:1em}"
          + "figure{margin:0;width:534px;background:#fff;border:1px solid #ddd;padding:8px}"
          + "figure img{width:518px;image-rendering:pixelated;background:#000}"
          + "figcaption{font-size:13px}.prompt{font-weight:bold}"
          + ".right{color:#070}.wrong{color:#b00}";

  private final RunEvaluation run;
  private final ShapesEvaluation.Report report;
  private final StringBuilder html = new StringBuilder();

  EvalPage(RunEvaluation run) {
    this.run = run;
    this.report = run.report();
  }

  String render() {
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Shapes evaluation</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>Shapes evaluation</h1>\n");
    header();
    goals();
    summaries();
    charts();
    skipped();
    grid();
    return html.append("</body>\n</html>\n").toString();
  }

  private void header() {
    int evaluated = report.videos().size();
    html.append("<p class=\"meta\">Output folder <b>")
        .append(escape(run.output()))
        .append("</b>: ")
        .append(run.manifestEntries())
        .append(" manifest entries, ")
        .append(evaluated)
        .append(" videos evaluated (")
        .append(report.notShapesPrompts())
        .append(" of them not shapes prompts, left out of the accuracies), ")
        .append(run.skipped().size())
        .append(" skipped. Every number, per frame too: ")
        .append("<a href=\"eval.json\">eval.json</a>.</p>\n");
  }

  private void goals() {
    long met = report.goals().stream()
        .filter(g -> g.status() == ShapesEvaluation.Status.MET)
        .count();
    html.append("<h2>Goals: ")
        .append(met)
        .append(" of ")
        .append(report.goals().size())
        .append(" met</h2>\n<table>\n<tr><th>goal</th><th>target</th><th>measured</th>")
        .append("<th>status</th></tr>\n");
    for (Goal goal : report.goals()) {
      String status = switch (goal.status()) {
        case MET -> "<span class=\"met\">met</span>";
        case MISSED -> "<span class=\"missed\">missed</span>";
        case NOT_MEASURED -> "not measured (no videos)";
      };
      html.append("<tr><td>")
          .append(measureName(goal.target().measure()))
          .append(" on ")
          .append(groupName(goal.target().group()))
          .append("</td><td>&ge; ")
          .append(BarChart.percent(goal.target().target()))
          .append("</td><td>")
          .append(BarChart.percent(goal.measured()))
          .append("</td><td>")
          .append(status)
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private void summaries() {
    html.append("<h2>Accuracy and temporal consistency</h2>\n<table>\n<tr><th></th>")
        .append("<th>videos</th><th>shape found</th><th>colour</th><th>shape</th>")
        .append("<th>direction</th><th>all three</th><th>area flicker</th>")
        .append("<th>colour flicker</th><th>path RMS</th><th>mean acceleration</th></tr>\n");
    for (Group group : Group.values()) {
      Summary s = report.summary(group);
      html.append("<tr><td>").append(groupName(group)).append("</td><td>").append(s.videos())
          .append("</td><td>").append(s.withShape());
      for (Measure measure : Measure.values()) {
        html.append("</td><td>").append(BarChart.percent(s.accuracy(measure)));
      }
      for (Double number : new Double[] {
          s.areaFlicker(), s.colourFlicker(), s.pathRms(), s.meanAcceleration()}) {
        html.append("</td><td>").append(number(number));
      }
      html.append("</td></tr>\n");
    }
    html.append("</table>\n<p class=\"note\">Accuracies count a video that shows no shape as"
        + " wrong. Temporal numbers are means over the videos that show a shape (0 is perfectly"
        + " steady; clean renders of the world, through MP4, stay below 0.03): area flicker,"
        + " the mean relative change of the shape's area between consecutive frames (2 where it"
        + " vanishes); colour flicker, the mean change of its interior colour between consecutive"
        + " frames, over 255; path RMS, the distance of its centroids from the best straight,"
        + " constant-speed path, in frame widths; mean acceleration, the mean second difference"
        + " of its centroids, in frame widths per frame squared.</p>\n");
  }

  private void charts() {
    List<BarChart.Group> measures = new ArrayList<>();
    for (Measure measure : Measure.values()) {
      measures.add(new BarChart.Group(measureName(measure), List.of(
          bar(Group.SEEN, measure, SEEN_COLOUR), bar(Group.HELD_OUT, measure, HELD_OUT_COLOUR))));
    }
    List<BarChart.Group> pairs = new ArrayList<>();
    for (ShapesEvaluation.PairSummary pair : report.pairs()) {
      String label = pair.colour().word() + " " + pair.shape().word();
      pairs.add(new BarChart.Group(label, List.of(new BarChart.Bar(label,
          pair.summary().allThree(), pair.heldOut() ? HELD_OUT_COLOUR : SEEN_COLOUR, null))));
    }
    List<BarChart.Key> legend = List.of(
        new BarChart.Key("seen", SEEN_COLOUR), new BarChart.Key("held out", HELD_OUT_COLOUR));
    html.append("<div class=\"charts\">\n")
        .append(new BarChart("Accuracy, seen vs held-out (dashes: goals)", measures, legend,
            false).svg())
        .append(new BarChart("All three right, per colour and shape", pairs, legend, true).svg())
        .append("</div>\n");
  }

  private BarChart.Bar bar(Group group, Measure measure, String colour) {
    Double goal = ShapesEvaluation.GOALS.stream()
        .filter(t -> t.group() == group && t.measure() == measure)
        .map(ShapesEvaluation.Target::target)
        .findFirst()
        .orElse(null);
    return new BarChart.Bar(groupName(group) + ", " + measureName(measure),
        report.summary(group).accuracy(measure), colour, goal);
  }

  private void skipped() {
    if (run.skipped().isEmpty()) {
      return;
    }
    html.append("<h2>Skipped</h2>\n<ul>\n");
    for (RunEvaluation.Skipped s : run.skipped()) {
      html.append("<li>")
          .append(escape(s.id()))
          .append(" (&ldquo;")
          .append(escape(s.prompt()))
          .append("&rdquo;): ")
          .append(escape(s.reason()))
          .append("</li>\n");
    }
    html.append("</ul>\n");
  }

  private void grid() {
    List<Scored> shown = report.videos().stream()
        .filter(v -> run.files().containsKey(v.id()) && run.files().get(v.id()).frames() != null)
        .toList();
    html.append("<h2>Videos</h2>\n<p class=\"meta\">")
        .append(shown.size() < report.videos().size()
            ? "The first " + shown.size() + " of " + report.videos().size() + " by id; "
            : "")
        .append("first, a third, two thirds and last frame of each.</p>\n<div class=\"grid\">\n");
    for (Scored video : shown) {
      card(video, run.files().get(video.id()));
    }
    html.append("</div>\n");
  }

  private void card(Scored video, RunEvaluation.VideoFiles files) {
    ClipAnalysis.Result shown = video.analysis();
    html.append("<figure id=\"").append(escape(video.id())).append("\">\n<a href=\"")
        .append(escape(fromPage(files.video()))).append("\"><img src=\"")
        .append(escape(fromPage(files.frames()))).append("\" alt=\"")
        .append(escape(video.prompt())).append("\"></a>\n<figcaption>\n<div class=\"prompt\">")
        .append(escape(video.prompt())).append("</div>\n<div>");
    if (!video.isShapesPrompt()) {
      html.append("not a shapes prompt; shows ").append(shownText(shown));
    } else if (!shown.shapeFound()) {
      html.append("<span class=\"wrong\">no shape found</span> (")
          .append(shown.framesWithShape()).append(" of ").append(shown.frames())
          .append(" frames show one)");
    } else {
      verdict("colour", video.verdict().colour(), word(shown.colour()));
      verdict("shape", video.verdict().shape(), word(shown.shape()));
      verdict("direction", video.verdict().direction(), word(shown.direction()));
    }
    html.append("</div>\n<div class=\"meta\">id ").append(escape(video.id()));
    if (video.heldOut()) {
      html.append(" &middot; held-out combination");
    }
    ClipAnalysis.Measures m = shown.measures();
    if (m != null) {
      html.append("<br>travel ").append(number(m.path().travel()))
          .append(" &middot; area flicker ").append(number(m.areaFlicker()))
          .append(" &middot; colour flicker ").append(number(m.colourFlicker()))
          .append(" &middot; path RMS ").append(number(m.path().rms()));
    }
    html.append("</div>\n</figcaption>\n</figure>\n");
  }

  private void verdict(String attribute, boolean right, String shown) {
    html.append("<span class=\"").append(right ? "right\">&#10003; " : "wrong\">&#10007; ")
        .append(attribute).append(' ').append(shown).append("</span> ");
  }

  private static String shownText(ClipAnalysis.Result shown) {
    return shown.shapeFound()
        ? word(shown.colour()) + " " + word(shown.shape()) + " moving " + word(shown.direction())
        : "no shape";
  }

  /** The lower-case word of a colour, shape or direction enum; "none" for null. */
  private static String word(Enum<?> value) {
    return value == null ? "none" : value.name().toLowerCase(Locale.ROOT);
  }

  /** A path relative to the output folder, as a link from eval/eval.html. */
  private static String fromPage(String relativeToOutput) {
    String evalFolder = EvaluateRun.EVAL_DIR + "/";
    return relativeToOutput.startsWith(evalFolder)
        ? relativeToOutput.substring(evalFolder.length())
        : "../" + relativeToOutput;
  }

  private static String measureName(Measure measure) {
    return switch (measure) {
      case COLOUR -> "colour";
      case SHAPE -> "shape";
      case DIRECTION -> "direction";
      case ALL_THREE -> "all three";
    };
  }

  private static String groupName(Group group) {
    return switch (group) {
      case SEEN -> "seen combinations";
      case HELD_OUT -> "held-out combinations";
      case ALL -> "all";
    };
  }

  private static String number(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
  }
}
