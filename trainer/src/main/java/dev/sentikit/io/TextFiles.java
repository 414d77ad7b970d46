package dev.sentikit.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads whole UTF-8 text files (a checkpoint's JSON, a tokenizer.json, a metrics log) so that bytes that are not
 * UTF-8 give an error naming the file, the line and the byte, never the JDK's bare "Input length = 1".
 */
public final class TextFiles {

    private TextFiles() {}

    /**
     * The text of {@code file}.
     *
     * @throws IOException when it cannot be read, or is not valid UTF-8 (saying where)
     */
    public static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            int at = in.position();
            long line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new IOException(String.format(java.util.Locale.ROOT, "%s is not valid UTF-8 (byte %,d of line %,d "
                    + "is 0x%02X); re-save the file as UTF-8", file, at - lineStart + 1, line, bytes[at] & 0xFF), e);
        }
    }

    /** The lines of {@code file} (split at LF, CRLF or CR), checked as {@link #readUtf8} does. */
    public static List<String> readUtf8Lines(Path file) throws IOException {
        return readUtf8(file).lines().toList();
    }
}
