package magicvideo.transforms.prompts;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class Utf8LinesTest {
  private static final int MAX_LINE_BYTES = 1000;

  private static Utf8Lines lines(byte[] bytes) {
    return new Utf8Lines(new ByteArrayInputStream(bytes), MAX_LINE_BYTES);
  }

  private static Utf8Lines lines(String text) {
    return lines(text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> allTexts(Utf8Lines lines) throws IOException, BadRow {
    List<String> texts = new ArrayList<>();
    while (lines.next()) {
      texts.add(lines.number() + ":" + lines.text());
    }
    return texts;
  }

  @Test
  public void splitsLfAndCrlfAndKeepsALastLineWithoutNewline() throws Exception {
    assertEquals(List.of("1:a", "2:b", "3:", "4:c\u00e9"), allTexts(lines("a\r\nb\n\nc\u00e9")));
  }

  @Test
  public void aFinalNewlineDoesNotStartAnotherLine() throws Exception {
    assertEquals(List.of("1:a", "2:b"), allTexts(lines("a\nb\n")));
    assertEquals(List.of(), allTexts(lines("")));
  }

  @Test
  public void emptyLinesAreEmptyButSpacesAreNot() throws Exception {
    Utf8Lines lines = lines("\n  \n");
    assertTrue(lines.next());
    assertTrue(lines.isEmpty());
    assertTrue(lines.next());
    assertFalse(lines.isEmpty());
  }

  @Test
  public void dropsTheByteOrderMarkOfTheFirstLineOnly() throws Exception {
    assertEquals(List.of("1:prompt", "2:\ufeffx"), allTexts(lines("\ufeffprompt\n\ufeffx")));
    Utf8Lines onlyMark = lines("\ufeff\n");
    assertTrue(onlyMark.next());
    assertTrue(onlyMark.isEmpty());
  }

  @Test
  public void invalidUtf8RejectsOnlyItsLine() throws Exception {
    byte[] bytes =
        PromptFiles.withRawBytes("good\nab", new byte[] {(byte) 0xC3, 0x28}, "\nalso good\n");
    Utf8Lines lines = lines(bytes);
    assertTrue(lines.next());
    assertEquals("good", lines.text());
    assertTrue(lines.next());
    BadRow bad = assertThrows(BadRow.class, lines::text);
    assertEquals(FailureKind.INVALID_UTF8, bad.kind());
    assertThat(bad.reason(), containsString("byte 3"));
    assertThat(bad.reason(), containsString("0xC3"));
    assertThat(lines.preview(), containsString("ab"));
    assertTrue(lines.next());
    assertEquals(3, lines.number());
    assertEquals("also good", lines.text());
  }

  @Test
  public void rejectsOverlongEncodingsSurrogatesAndCutSequences() throws Exception {
    byte[][] invalid = {
      {(byte) 0xC0, (byte) 0xAF}, // "/" encoded in two bytes
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate
      {(byte) 0xE2, (byte) 0x82}, // a 3-byte sequence cut at the end of the line
    };
    for (byte[] sequence : invalid) {
      Utf8Lines lines = lines(PromptFiles.withRawBytes("x", sequence, "\n"));
      assertTrue(lines.next());
      assertEquals(FailureKind.INVALID_UTF8, assertThrows(BadRow.class, lines::text).kind());
    }
  }

  @Test
  public void rejectsALineOverTheLimitAndReadsOn() throws Exception {
    String longLine = "x".repeat(MAX_LINE_BYTES + 500);
    Utf8Lines lines = lines(longLine + "\nshort\n");
    assertTrue(lines.next());
    BadRow bad = assertThrows(BadRow.class, lines::text);
    assertEquals(FailureKind.LINE_TOO_LONG, bad.kind());
    assertThat(bad.reason(), containsString(String.valueOf(MAX_LINE_BYTES + 500)));
    assertThat(lines.preview().length(), lessThanOrEqualTo(MAX_LINE_BYTES));
    assertTrue(lines.next());
    assertEquals("short", lines.text());
  }

  @Test
  public void linesLongerThanTheReadChunkStayWhole() throws Exception {
    String big = "\u00e9".repeat(50_000); // 100,000 bytes: spans the 64 KiB read chunks
    Utf8Lines lines =
        new Utf8Lines(
            new ByteArrayInputStream((big + "\n" + big + "\nend").getBytes(StandardCharsets.UTF_8)),
            200_000);
    assertTrue(lines.next());
    assertEquals(big, lines.text());
    assertTrue(lines.next());
    assertEquals(big, lines.text());
    assertTrue(lines.next());
    assertEquals("end", lines.text());
    assertFalse(lines.next());
  }
}
