package magicvideo.transforms.prompts;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into numbered lines and decodes each one as strict UTF-8 on its own, so an
 * invalid byte rejects its line and not the whole file. Splitting bytes at '\n' is safe because
 * UTF-8 never uses that byte inside a multi-byte sequence.
 *
 * <p>Lines end at '\n'; one '\r' before it is dropped (CRLF files). A UTF-8 byte order mark at the
 * start of the file is dropped (spreadsheet exports write one). At most {@code maxLineBytes} of a
 * line are kept, so one enormous line cannot exhaust a worker's memory; {@link #text()} rejects it.
 */
final class Utf8Lines implements Closeable {
  private static final int CHUNK_BYTES = 64 * 1024;
  private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** Enough bytes to fill the failure record's raw text even with 4-byte characters. */
  private static final int PREVIEW_BYTES = 4 * PromptFailure.MAX_RAW_CHARS;

  private final InputStream in;
  private final int maxLineBytes;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  private final byte[] chunk = new byte[CHUNK_BYTES];
  private int chunkPos;
  private int chunkEnd;

  private byte[] line = new byte[256];
  private int keptBytes;
  private long lineBytes;
  private long number;

  Utf8Lines(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** Moves to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    keptBytes = 0;
    lineBytes = 0;
    boolean started = false;
    while (true) {
      if (chunkPos == chunkEnd) {
        int read = in.read(chunk);
        if (read < 0) {
          if (!started) {
            return false; // a final '\n' ends the last line; it does not start an empty one
          }
          break;
        }
        chunkPos = 0;
        chunkEnd = read;
        continue;
      }
      started = true;
      int newline = indexOfNewline();
      int end = newline < 0 ? chunkEnd : newline;
      keep(chunkPos, end);
      chunkPos = newline < 0 ? chunkEnd : newline + 1;
      if (newline >= 0) {
        break;
      }
    }
    number++;
    if (keptBytes == lineBytes && keptBytes > 0 && line[keptBytes - 1] == '\r') {
      keptBytes--;
      lineBytes--;
    }
    if (number == 1 && startsWithByteOrderMark()) {
      keptBytes -= BYTE_ORDER_MARK.length;
      System.arraycopy(line, BYTE_ORDER_MARK.length, line, 0, keptBytes);
      lineBytes -= BYTE_ORDER_MARK.length;
    }
    return true;
  }

  /** The 1-based number of the current line. */
  long number() {
    return number;
  }

  /** True for a line with no bytes at all; such lines are not rows in any format. */
  boolean isEmpty() {
    return lineBytes == 0;
  }

  /** The current line, decoded; rejects a line that is too long or not valid UTF-8. */
  String text() throws BadRow {
    if (lineBytes > maxLineBytes) {
      throw new BadRow(
          FailureKind.LINE_TOO_LONG,
          "line has " + lineBytes + " bytes; the limit is " + maxLineBytes);
    }
    ByteBuffer bytes = ByteBuffer.wrap(line, 0, keptBytes);
    // UTF-8 never decodes to more UTF-16 units than it has bytes.
    CharBuffer chars = CharBuffer.allocate(keptBytes);
    decoder.reset();
    CoderResult result = decoder.decode(bytes, chars, true);
    if (!result.isError()) {
      result = decoder.flush(chars);
    }
    if (result.isError()) {
      throw new BadRow(FailureKind.INVALID_UTF8, invalidBytesMessage(bytes.position(), result));
    }
    return chars.flip().toString();
  }

  /** The start of the current line decoded leniently, for a failure record's raw text. */
  String preview() {
    return new String(line, 0, Math.min(keptBytes, PREVIEW_BYTES), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private String invalidBytesMessage(int offset, CoderResult result) {
    StringBuilder message =
        new StringBuilder("invalid UTF-8 at byte ").append(offset + 1).append(" of the line (");
    int end = Math.min(keptBytes, offset + result.length());
    for (int i = offset; i < end; i++) {
      message.append(i > offset ? " " : "").append(String.format("0x%02X", line[i] & 0xFF));
    }
    return message.append(')').toString();
  }

  private int indexOfNewline() {
    for (int i = chunkPos; i < chunkEnd; i++) {
      if (chunk[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void keep(int from, int to) {
    int length = to - from;
    lineBytes += length;
    int room = maxLineBytes - keptBytes;
    int kept = Math.min(length, Math.max(room, 0));
    if (kept == 0) {
      return;
    }
    if (keptBytes + kept > line.length) {
      line =
          Arrays.copyOf(line, Math.max(keptBytes + kept, Math.min(2 * line.length, maxLineBytes)));
    }
    System.arraycopy(chunk, from, line, keptBytes, kept);
    keptBytes += kept;
  }

  private boolean startsWithByteOrderMark() {
    return keptBytes >= BYTE_ORDER_MARK.length
        && Arrays.equals(
            line, 0, BYTE_ORDER_MARK.length, BYTE_ORDER_MARK, 0, BYTE_ORDER_MARK.length);
  }
}
