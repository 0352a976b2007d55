package magicvideo.pipeline.eval;

import static magicvideo.transforms.outputs.HtmlText.escape;

import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart of fractions (0 to 100%) as inline SVG: no scripts, no fonts or files to
 * fetch, so the evaluation page opens from a bucket or a laptop alike.
 */
final class BarChart {
  /** One bar; {@code value} null draws "n/a"; {@code goal} null draws no goal mark. */
  record Bar(String label, Double value, String colour, Double goal) {}

  /** Bars side by side under one label. */
  record Group(String label, List<Bar> bars) {}

  /** A legend entry. */
  record Key(String label, String colour) {}

  private static final int BAR_WIDTH = 22;
  private static final int GROUP_GAP = 18;
  private static final int PLOT_HEIGHT = 160;
  private static final int LEFT = 44;
  private static final int TOP = 28;
  private static final String FONT = "font-family=\"sans-serif\" font-size=\"11\"";

  private final String title;
  private final List<Group> groups;
  private final List<Key> legend;
  private final boolean slantedLabels;

  /**
   * @param slantedLabels write group labels at an angle, for many groups with long labels
   */
  BarChart(String title, List<Group> groups, List<Key> legend, boolean slantedLabels) {
    this.title = title;
    this.groups = groups;
    this.legend = legend;
    this.slantedLabels = slantedLabels;
  }

  String svg() {
    int labelHeight = slantedLabels ? 90 : 24;
    int width = LEFT + GROUP_GAP;
    for (Group group : groups) {
      width += group.bars().size() * BAR_WIDTH + GROUP_GAP;
    }
    width = Math.max(width, LEFT + 120 * legend.size());
    int height = TOP + PLOT_HEIGHT + labelHeight + 20;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">"
            + "<title>%s</title>\n", width, height, escape(title)));
    svg.append(text(LEFT, 16, escape(title), "font-weight=\"bold\""));
    axis(svg, width);
    int x = LEFT + GROUP_GAP;
    for (Group group : groups) {
      int groupWidth = group.bars().size() * BAR_WIDTH;
      for (Bar bar : group.bars()) {
        bar(svg, x, bar);
        x += BAR_WIDTH;
      }
      groupLabel(svg, x - groupWidth / 2, group.label());
      x += GROUP_GAP;
    }
    int keyX = LEFT;
    for (Key key : legend) {
      int y = height - 8;
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", keyX, y - 9,
          key.colour()));
      svg.append(text(keyX + 14, y, escape(key.label()), ""));
      keyX += 120;
    }
    return svg.append("</svg>\n").toString();
  }

  /** Grid lines at every quarter, labelled in percent. */
  private void axis(StringBuilder svg, int width) {
    for (int percent = 0; percent <= 100; percent += 25) {
      double y = y(percent / 100.0);
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>", LEFT, y, width - 4,
          y, percent == 0 ? "#444" : "#ddd"));
      svg.append(text(LEFT - 4, (int) y + 4, percent + "%", "text-anchor=\"end\""));
    }
  }

  private void bar(StringBuilder svg, int x, Bar bar) {
    String tip = escape(bar.label()) + ": " + percent(bar.value())
        + (bar.goal() == null ? "" : " (goal " + percent(bar.goal()) + ")");
    if (bar.value() == null) {
      svg.append(text(x + BAR_WIDTH / 2, (int) y(0) - 4, "n/a",
          "text-anchor=\"middle\" fill=\"#888\""));
    } else {
      double top = y(bar.value());
      svg.append(String.format(Locale.ROOT,
          "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s</title>"
              + "</rect>", x + 1, top, BAR_WIDTH - 2, y(0) - top, bar.colour(), tip));
    }
    if (bar.goal() != null) {
      double goal = y(bar.goal());
      svg.append(String.format(Locale.ROOT,
          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#000\" stroke-width=\"2\""
              + " stroke-dasharray=\"3,2\"><title>%s</title></line>", x, goal, x + BAR_WIDTH,
          goal, tip));
    }
    svg.append('\n');
  }

  private void groupLabel(StringBuilder svg, int centre, String label) {
    int y = TOP + PLOT_HEIGHT + 14;
    svg.append(slantedLabels
        ? text(centre, y, escape(label),
            String.format(Locale.ROOT, "text-anchor=\"end\" transform=\"rotate(-40 %d %d)\"",
                centre, y))
        : text(centre, y, escape(label), "text-anchor=\"middle\""));
    svg.append('\n');
  }

  private static double y(double fraction) {
    return TOP + PLOT_HEIGHT * (1 - Math.max(0, Math.min(1, fraction)));
  }

  private static String text(int x, int y, String escaped, String attributes) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" %s %s>%s</text>", x, y, FONT,
        attributes, escaped);
  }

  static String percent(Double fraction) {
    return fraction == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }
}
