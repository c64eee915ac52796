package dev.mqttboot.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A bare TCP MQTT client: writes whatever bytes a test gives it and reads packets back, so tests can replay
 * malformed or hostile input and observe exactly what the broker answers.
 */
public final class RawMqttClient implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	/** Packets read while waiting for another type, kept for later reads. */
	private final Deque<Packet> pending = new ArrayDeque<>();

	public RawMqttClient(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		this.socket.setTcpNoDelay(true);
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
	}

	public RawMqttClient send(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
		return this;
	}

	/**
	 * Read one packet.
	 * @return the packet, or {@code null} when the broker closed the connection
	 * @throws SocketTimeoutException when nothing arrives in time
	 */
	public Packet read(Duration timeout) throws IOException {
		if (!this.pending.isEmpty()) {
			return this.pending.poll();
		}
		return readFromSocket(timeout);
	}

	private Packet readFromSocket(Duration timeout) throws IOException {
		this.socket.setSoTimeout((int) timeout.toMillis());
		try {
			int header = this.in.readUnsignedByte();
			int length = 0;
			int multiplier = 1;
			int digit;
			do {
				digit = this.in.readUnsignedByte();
				length += (digit & 0x7F) * multiplier;
				multiplier *= 128;
			}
			while ((digit & 0x80) != 0);
			byte[] body = new byte[length];
			this.in.readFully(body);
			return new Packet(header, body);
		}
		catch (EOFException ex) {
			return null;
		}
		catch (java.net.SocketException ex) {
			return null;
		}
	}

	/**
	 * The next packet of the given type; packets of other types that arrive first are kept for later reads.
	 * Fails on close or timeout.
	 */
	public Packet expect(int type, Duration timeout) throws IOException {
		for (Packet packet : this.pending) {
			if (packet.type() == type) {
				this.pending.remove(packet);
				return packet;
			}
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
			Packet packet = readFromSocket(Duration.ofMillis(left));
			if (packet == null) {
				throw new IOException("connection closed while waiting for packet type " + type);
			}
			if (packet.type() == type) {
				return packet;
			}
			this.pending.add(packet);
			if (System.nanoTime() > deadline) {
				throw new SocketTimeoutException("no packet of type " + type);
			}
		}
	}

	/** Connect and return the CONNACK return code. */
	public int connect(String clientId, int keepAlive) throws IOException {
		send(MqttPackets.connect(clientId, keepAlive));
		return expect(MqttPackets.CONNACK, Duration.ofSeconds(10)).body()[1];
	}

	/**
	 * Whether the broker closed the connection: reads (and drops) packets until EOF or until the timeout passes.
	 */
	public boolean closedWithin(Duration timeout) throws IOException {
		this.pending.clear();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (readFromSocket(Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000))) == null) {
					return true;
				}
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
		}
		return false;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** A packet as read from the wire. */
	public record Packet(int header, byte[] body) {

		public int type() {
			return this.header >> 4;
		}

		public int packetId() {
			return ((this.body[0] & 0xFF) << 8) | (this.body[1] & 0xFF);
		}

		/** For PUBLISH: the topic. */
		public String topic() {
			int length = ((this.body[0] & 0xFF) << 8) | (this.body[1] & 0xFF);
			return new String(this.body, 2, length, StandardCharsets.UTF_8);
		}

		/** For PUBLISH: the payload. */
		public String payload() {
			int topicLength = ((this.body[0] & 0xFF) << 8) | (this.body[1] & 0xFF);
			int qos = (this.header >> 1) & 3;
			int offset = 2 + topicLength + ((qos > 0) ? 2 : 0);
			return new String(this.body, offset, this.body.length - offset, StandardCharsets.UTF_8);
		}

		/** For PUBLISH with QoS > 0: the packet id. */
		public int publishPacketId() {
			int topicLength = ((this.body[0] & 0xFF) << 8) | (this.body[1] & 0xFF);
			return ((this.body[2 + topicLength] & 0xFF) << 8) | (this.body[3 + topicLength] & 0xFF);
		}

		public int qos() {
			return (this.header >> 1) & 3;
		}

		public boolean retain() {
			return (this.header & 1) != 0;
		}

		@Override
		public String toString() {
			ByteArrayOutputStream text = new ByteArrayOutputStream();
			text.writeBytes(("type " + type() + " (" + this.body.length + " bytes)").getBytes(StandardCharsets.UTF_8));
			return text.toString(StandardCharsets.UTF_8);
		}

	}

}
