package magicvideo.transforms.prompts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.Test;

public class DelimitedLineParserTest {
  @Test
  public void quotedFieldsHoldDelimitersAndDoubledQuotes() throws Exception {
    assertEquals(
        List.of("a", "b, c", "say \"hi\"", ""),
        DelimitedLineParser.split("a,\"b, c\",\"say \"\"hi\"\"\",\"\"", ','));
  }

  @Test
  public void emptyAndTrailingFieldsCount() throws Exception {
    assertEquals(List.of("", "", ""), DelimitedLineParser.split(",,", ','));
    assertEquals(List.of("a", ""), DelimitedLineParser.split("a,", ','));
    assertEquals(List.of(""), DelimitedLineParser.split("", ','));
  }

  @Test
  public void aQuoteInsideAnUnquotedFieldIsLiteral() throws Exception {
    assertEquals(List.of("5\" screen", "x"), DelimitedLineParser.split("5\" screen,x", ','));
  }

  @Test
  public void tabsSplitTsvAndCommasStayInside() throws Exception {
    assertEquals(List.of("a, b", "c\td"), DelimitedLineParser.split("a, b\t\"c\td\"", '\t'));
  }

  @Test
  public void rejectsAnUnclosedQuote() {
    BadRow bad = assertThrows(BadRow.class, () -> DelimitedLineParser.split("a,\"b,c", ','));
    assertEquals(FailureKind.BROKEN_QUOTING, bad.kind());
    assertThat(bad.reason(), containsString("character 3"));
  }

  @Test
  public void rejectsTextAfterAClosingQuote() {
    BadRow bad = assertThrows(BadRow.class, () -> DelimitedLineParser.split("\"a\"b,c", ','));
    assertEquals(FailureKind.BROKEN_QUOTING, bad.kind());
    assertThat(bad.reason(), containsString("'b'"));
  }

  @Test
  public void theFirstLineIsTheHeaderAndNamesTheFields() throws Exception {
    DelimitedLineParser parser = new DelimitedLineParser(',');
    assertNull(parser.parse(2, " id , prompt,style"));
    RowFields row = parser.parse(3, "c1,\"a cat, sitting\",oil");
    assertEquals("c1", row.identifier("id"));
    assertEquals("a cat, sitting", row.string("prompt"));
    assertEquals("{\"style\":\"oil\"}", row.others(Set.of("id", "prompt")).toString());
  }

  @Test
  public void rejectsARowWithTheWrongColumnCount() throws Exception {
    DelimitedLineParser parser = new DelimitedLineParser(',');
    parser.parse(1, "prompt,seed");
    BadRow bad = assertThrows(BadRow.class, () -> parser.parse(2, "a,1,extra"));
    assertEquals(FailureKind.WRONG_COLUMN_COUNT, bad.kind());
    assertThat(bad.reason(), containsString("expected 2 columns"));
    assertThat(bad.reason(), containsString("found 3"));
  }

  @Test
  public void anUnusableHeaderRejectsItselfAndEveryRowAfterIt() throws Exception {
    DelimitedLineParser parser = new DelimitedLineParser(',');
    BadRow header = assertThrows(BadRow.class, () -> parser.parse(1, "text,seed"));
    assertEquals(FailureKind.BAD_HEADER, header.kind());
    assertThat(header.reason(), containsString("no \"prompt\" column (columns: text, seed)"));
    BadRow row = assertThrows(BadRow.class, () -> parser.parse(2, "a cat,1"));
    assertEquals(FailureKind.BAD_HEADER, row.kind());
    assertThat(row.reason(), containsString("header on line 1"));
  }

  @Test
  public void rejectsAHeaderWithARepeatedColumn() {
    BadRow bad =
        assertThrows(BadRow.class, () -> new DelimitedLineParser(',').parse(1, "prompt,a,a"));
    assertEquals(FailureKind.BAD_HEADER, bad.kind());
    assertThat(bad.reason(), containsString("\"a\" appears twice"));
  }
}
