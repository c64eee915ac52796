package dev.mqttboot.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A stand-in broker that accepts one client and answers its CONNECT, but acknowledges a publish only when the test
 * says so: it shows exactly when a client considers a QoS 1 publish done.
 */
public final class SilentBroker implements AutoCloseable {

	private final ServerSocket server;

	private final BlockingQueue<Integer> publishedPacketIds = new LinkedBlockingQueue<>();

	private volatile Socket client;

	private final Thread reader;

	public SilentBroker() throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
		this.reader = new Thread(this::serve, "silent-broker");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	private void serve() {
		try {
			this.client = this.server.accept();
			DataInputStream in = new DataInputStream(this.client.getInputStream());
			while (true) {
				int header = in.readUnsignedByte();
				int length = 0;
				int multiplier = 1;
				int digit;
				do {
					digit = in.readUnsignedByte();
					length += (digit & 0x7F) * multiplier;
					multiplier *= 128;
				}
				while ((digit & 0x80) != 0);
				byte[] body = new byte[length];
				in.readFully(body);
				int type = header >> 4;
				if (type == 1) {
					write(new byte[] { 0x20, 2, 0, 0 });
				}
				else if (type == 12) {
					write(new byte[] { (byte) 0xD0, 0 });
				}
				else if (type == 3 && ((header >> 1) & 3) > 0) {
					int topicLength = ((body[0] & 0xFF) << 8) | (body[1] & 0xFF);
					this.publishedPacketIds.add(((body[2 + topicLength] & 0xFF) << 8) | (body[3 + topicLength] & 0xFF));
				}
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	/** The packet id of the next QoS 1/2 publish received (waits up to 10 s). */
	public int nextPublishedPacketId() throws InterruptedException {
		Integer id = this.publishedPacketIds.poll(10, java.util.concurrent.TimeUnit.SECONDS);
		if (id == null) {
			throw new IllegalStateException("no publish received");
		}
		return id;
	}

	public void puback(int packetId) throws IOException {
		write(new byte[] { 0x40, 2, (byte) (packetId >> 8), (byte) packetId });
	}

	private synchronized void write(byte[] bytes) throws IOException {
		OutputStream out = this.client.getOutputStream();
		out.write(bytes);
		out.flush();
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		if (this.client != null) {
			this.client.close();
		}
	}

}
