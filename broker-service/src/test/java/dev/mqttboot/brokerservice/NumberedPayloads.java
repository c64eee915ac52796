package dev.mqttboot.brokerservice;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The payloads the process tests send: {@code prefix + n}, padded with spaces up to a size, made as they are sent (a
 * flood of hundreds of thousands is never held at once). A receiver counts them by the text before the padding
 * ({@link dev.mqttboot.test.MqttTestClient#counts()} strips it), so loss and duplicates show per message.
 */
final class NumberedPayloads {

	private NumberedPayloads() {
	}

	/**
	 * The payloads {@code prefix + 0} to {@code prefix + (count - 1)}.
	 * @param prefix what each starts with
	 * @param count how many
	 * @param size the size to pad each to; 0 for no padding
	 * @return the payloads, made one by one as they are iterated
	 */
	static Iterable<byte[]> of(String prefix, int count, int size) {
		return () -> IntStream.range(0, count).mapToObj((n) -> padded(prefix + n, size)).iterator();
	}

	private static byte[] padded(String text, int size) {
		byte[] id = text.getBytes(StandardCharsets.UTF_8);
		if (size <= id.length) {
			return id;
		}
		byte[] padded = new byte[size];
		Arrays.fill(padded, (byte) ' ');
		System.arraycopy(id, 0, padded, 0, id.length);
		return padded;
	}

}
