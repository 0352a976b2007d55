package magicvideo.models.shapes;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.SplittableRandom;
import magicvideo.models.VideoFrames;
import magicvideo.models.shapes.ShapesEvaluation.Group;
import magicvideo.models.shapes.ShapesEvaluation.Measure;
import magicvideo.models.shapes.ShapesEvaluation.Status;
import org.junit.Test;

public class ShapesEvaluationTest {
  private final SplittableRandom random = new SplittableRandom(31);

  @Test
  public void cleanRendersOfEveryCaptionMeetEveryGoal() {
    ShapesEvaluation evaluation = new ShapesEvaluation();
    for (Caption caption : ShapesWorld.allCaptions()) {
      evaluation.add(caption.text(), caption.text(), render(caption));
    }

    ShapesEvaluation.Report report = evaluation.report();

    assertEquals(72, report.seen().videos());
    assertEquals(12, report.heldOut().videos());
    assertEquals(84, report.all().videos());
    for (Group group : Group.values()) {
      for (Measure measure : Measure.values()) {
        assertEquals(group + " " + measure, 1.0, report.summary(group).accuracy(measure), 0);
      }
    }
    assertTrue(report.goalsMet());
    assertEquals(ShapesEvaluation.GOALS.size(), report.goals().size());
    assertEquals(21, report.pairs().size());
    assertEquals(3, report.pairs().stream().filter(ShapesEvaluation.PairSummary::heldOut).count());
    assertTrue(report.all().areaFlicker() < 0.04);
  }

  @Test
  public void eachAttributeIsScoredOnItsOwn() {
    ShapesEvaluation evaluation = new ShapesEvaluation();
    VideoFrames redCircleLeft = render(caption("a red circle moving left"));
    evaluation.add("right", "a red circle moving left", redCircleLeft);
    ShapesEvaluation.Scored wrongColour =
        evaluation.add("colour", "A blue circle moving left, on black", redCircleLeft);
    evaluation.add("shape", "a red square moving left", redCircleLeft);
    evaluation.add("direction", "a red circle moving up", redCircleLeft);
    evaluation.add("not a shapes prompt", "a cat playing the piano", redCircleLeft);

    ShapesEvaluation.Report report = evaluation.report();

    assertEquals(new ShapesEvaluation.Verdict(false, true, true, false), wrongColour.verdict());
    assertFalse(wrongColour.heldOut());
    ShapesEvaluation.Summary seen = report.seen();
    assertEquals(4, seen.videos());
    assertEquals(0.75, seen.colour(), 1e-12);
    assertEquals(0.75, seen.shape(), 1e-12);
    assertEquals(0.75, seen.direction(), 1e-12);
    assertEquals(0.25, seen.allThree(), 1e-12);
    assertEquals(1, report.notShapesPrompts());
    assertEquals(5, report.videos().size());
    ShapesEvaluation.Scored other = report.videos().get(4);
    assertFalse(other.isShapesPrompt());
    assertNull(other.verdict());
    assertEquals(ShapeKind.CIRCLE, other.analysis().shape());
  }

  @Test
  public void goalsAreMetMissedOrNotMeasured() {
    ShapesEvaluation evaluation = new ShapesEvaluation();
    // seen: 9 of 10 right in colour (90% < 95%), all right in direction and shape
    Caption redSquareRight = caption("a red square moving right");
    for (int i = 0; i < 10; i++) {
      evaluation.add("v" + i, i == 0 ? "a green square moving right" : redSquareRight.text(),
          render(redSquareRight));
    }

    ShapesEvaluation.Report report = evaluation.report();

    assertEquals(Status.MISSED, goal(report, Group.SEEN, Measure.COLOUR).status());
    assertEquals(0.9, goal(report, Group.SEEN, Measure.COLOUR).measured(), 1e-12);
    assertEquals(Status.MET, goal(report, Group.SEEN, Measure.DIRECTION).status());
    assertEquals(Status.MET, goal(report, Group.ALL, Measure.SHAPE).status());
    assertEquals(Status.NOT_MEASURED, goal(report, Group.HELD_OUT, Measure.COLOUR).status());
    assertNull(goal(report, Group.HELD_OUT, Measure.COLOUR).measured());
    assertNull(report.heldOut().colour());
    assertNull(report.heldOut().areaFlicker());
    assertFalse(report.goalsMet());
  }

  @Test
  public void theReportIsJson() throws Exception {
    ShapesEvaluation evaluation = new ShapesEvaluation();
    evaluation.add("a", "a cyan circle moving down", render(caption("a cyan circle moving down")));
    VideoFrames black = new VideoFrames(16, 32, 32, 8, new byte[16 * 32 * 32 * 3]);
    evaluation.add("b", "a cyan circle moving down", black);

    JsonNode json = new ObjectMapper().readTree(evaluation.report().toJson());

    assertEquals(0.5, json.path("heldOut").path("colour").asDouble(), 0);
    assertEquals(1, json.path("heldOut").path("withShape").asInt());
    assertTrue(json.path("seen").path("colour").isNull());
    assertEquals("NOT_MEASURED", json.path("goals").path(0).path("status").asText());
    assertEquals("SEEN", json.path("goals").path(0).path("target").path("group").asText());
    JsonNode first = json.path("videos").path(0);
    assertEquals("CYAN", first.path("expected").path("colour").asText());
    assertTrue(first.path("heldOut").asBoolean());
    assertEquals("DOWN", first.path("analysis").path("direction").asText());
    assertEquals(16, first.path("analysis").path("perFrame").size());
    JsonNode path = first.path("analysis").path("measures").path("path");
    assertEquals(0.5, path.path("dy").asDouble(), 0.01);
    JsonNode blackAnalysis = json.path("videos").path(1).path("analysis");
    assertTrue(blackAnalysis.path("colour").isNull());
    assertTrue(blackAnalysis.path("measures").isNull());
  }

  private static ShapesEvaluation.Goal goal(ShapesEvaluation.Report report, Group group,
      Measure measure) {
    return report.goals().stream()
        .filter(g -> g.target().group() == group && g.target().measure() == measure)
        .findFirst()
        .orElseThrow();
  }

  private static Caption caption(String text) {
    return Caption.parse(text).orElseThrow();
  }

  private VideoFrames render(Caption caption) {
    return ShapesWorld.render(ShapesWorld.sample(caption, random), 16, 32, 8);
  }
}
