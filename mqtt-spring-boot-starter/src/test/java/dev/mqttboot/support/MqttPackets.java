package dev.mqttboot.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Builds MQTT 3.1.1 packets byte by byte, so tests can send exactly what a (possibly hostile) client would.
 */
public final class MqttPackets {

	public static final int CONNACK = 2;

	public static final int PUBLISH = 3;

	public static final int PUBACK = 4;

	public static final int PUBREC = 5;

	public static final int PUBREL = 6;

	public static final int PUBCOMP = 7;

	public static final int SUBACK = 9;

	public static final int PINGRESP = 13;

	private MqttPackets() {
	}

	public static byte[] hex(String hex) {
		return HexFormat.of().parseHex(hex);
	}

	public static byte[] connect(String clientId, int keepAlive) {
		return connect(clientId, keepAlive, true, null, null, 0, null, null);
	}

	public static byte[] connect(String clientId, int keepAlive, boolean cleanSession, String willTopic,
			String willPayload, int willQos, String username, String password) {
		return connect(clientId, keepAlive, cleanSession, willTopic, willPayload, willQos, false, username, password);
	}

	public static byte[] connect(String clientId, int keepAlive, boolean cleanSession, String willTopic,
			String willPayload, int willQos, boolean willRetain, String username, String password) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		writeString(body, "MQTT");
		body.write(4);
		int flags = cleanSession ? 0x02 : 0;
		if (willTopic != null) {
			flags |= 0x04 | (willQos << 3) | (willRetain ? 0x20 : 0);
		}
		if (password != null) {
			flags |= 0x40;
		}
		if (username != null) {
			flags |= 0x80;
		}
		body.write(flags);
		body.write(keepAlive >> 8);
		body.write(keepAlive & 0xFF);
		writeString(body, clientId);
		if (willTopic != null) {
			writeString(body, willTopic);
			writeString(body, willPayload);
		}
		if (username != null) {
			writeString(body, username);
		}
		if (password != null) {
			writeString(body, password);
		}
		return packet(0x10, body.toByteArray());
	}

	public static byte[] subscribe(int packetId, String filter, int qos) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.write(packetId >> 8);
		body.write(packetId & 0xFF);
		writeString(body, filter);
		body.write(qos);
		return packet(0x82, body.toByteArray());
	}

	public static byte[] publish(String topic, String payload, int qos, int packetId, boolean retain, boolean dup) {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		writeString(body, topic);
		if (qos > 0) {
			body.write(packetId >> 8);
			body.write(packetId & 0xFF);
		}
		body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
		int header = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
		return packet(header, body.toByteArray());
	}

	public static byte[] ack(int type, int packetId) {
		int header = (type << 4) | ((type == PUBREL) ? 0x02 : 0);
		return new byte[] { (byte) header, 2, (byte) (packetId >> 8), (byte) packetId };
	}

	public static byte[] pingreq() {
		return new byte[] { (byte) 0xC0, 0 };
	}

	public static byte[] disconnect() {
		return new byte[] { (byte) 0xE0, 0 };
	}

	public static byte[] packet(int header, byte[] body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(header);
		int length = body.length;
		do {
			int digit = length % 128;
			length /= 128;
			out.write((length > 0) ? (digit | 0x80) : digit);
		}
		while (length > 0);
		out.writeBytes(body);
		return out.toByteArray();
	}

	/** Write an MQTT UTF-8 string: two length bytes, then the bytes. */
	public static void writeString(ByteArrayOutputStream out, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
		out.write(bytes.length >> 8);
		out.write(bytes.length & 0xFF);
		out.writeBytes(bytes);
	}

}
