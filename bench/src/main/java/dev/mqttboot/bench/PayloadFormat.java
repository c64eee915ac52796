package dev.mqttboot.bench;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The 64-byte payloads the load generator sends: each carries its sequence number, send time and publisher id.
 * Binary for the broker scenarios; text and JSON for the starter's listener scenarios, where the payload is converted
 * to a {@code String} or a record.
 */
enum PayloadFormat {

	/** Sequence (8 bytes), send time (8), publisher id (4), zero padding. */
	BINARY {
		@Override
		ByteBuf encode(long sequence, long sentNanos, int publisher) {
			ByteBuf payload = Unpooled.buffer(BYTES);
			payload.writeLong(sequence);
			payload.writeLong(sentNanos);
			payload.writeInt(publisher);
			payload.writerIndex(BYTES);
			return payload;
		}
	},

	/** {@code sequence,sentNanos,publisher,} padded with {@code x}. */
	TEXT {
		@Override
		ByteBuf encode(long sequence, long sentNanos, int publisher) {
			return padded(sequence + "," + sentNanos + "," + publisher + ",", "");
		}
	},

	/** {@code {"sequence":..,"sentNanos":..,"publisher":..,"pad":"xx.."}}. */
	JSON {
		@Override
		ByteBuf encode(long sequence, long sentNanos, int publisher) {
			return padded("{\"sequence\":" + sequence + ",\"sentNanos\":" + sentNanos + ",\"publisher\":" + publisher
					+ ",\"pad\":\"", "\"}");
		}
	};

	static final int BYTES = 64;

	abstract ByteBuf encode(long sequence, long sentNanos, int publisher);

	/** The sequence number of a {@link #TEXT} payload. */
	static long textSequence(String payload) {
		return Long.parseLong(payload, 0, payload.indexOf(','), 10);
	}

	private static ByteBuf padded(String head, String tail) {
		int pad = Math.max(0, BYTES - head.length() - tail.length());
		return Unpooled.wrappedBuffer((head + "x".repeat(pad) + tail).getBytes(StandardCharsets.US_ASCII));
	}

}
