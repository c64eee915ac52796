package dev.mqttboot.brokerconsole;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A payload as the console shows it: its first bytes as text when they are UTF-8 without control characters, as hex
 * otherwise. The page escapes it like any other text: a payload is never markup.
 *
 * @param text the preview
 * @param hex whether it is hex
 * @param size the payload's full size in bytes
 * @param truncated whether the preview leaves bytes out
 */
public record PayloadPreview(String text, boolean hex, int size, boolean truncated) {

	/**
	 * Preview a payload.
	 * @param payload the payload
	 * @param limit most bytes shown
	 * @return the preview
	 */
	public static PayloadPreview of(byte[] payload, int limit) {
		int shown = Math.min(payload.length, limit);
		boolean truncated = shown < payload.length;
		String text = utf8Text(payload, shown, truncated);
		if (text != null) {
			return new PayloadPreview(text, false, payload.length, truncated);
		}
		return new PayloadPreview(HexFormat.ofDelimiter(" ").formatHex(payload, 0, shown), true, payload.length,
				truncated);
	}

	private static String utf8Text(byte[] payload, int length, boolean truncated) {
		// A cut through a multi-byte character (at most 3 bytes of it) is still text; anything else is binary.
		int shortest = truncated ? Math.max(0, length - 3) : length;
		for (int end = length; end >= shortest; end--) {
			try {
				String text = StandardCharsets.UTF_8.newDecoder()
					.onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT)
					.decode(ByteBuffer.wrap(payload, 0, end))
					.toString();
				return text.chars().anyMatch((c) -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')
						? null : text;
			}
			catch (CharacterCodingException ex) {
				// try one byte shorter
			}
		}
		return null;
	}

}
