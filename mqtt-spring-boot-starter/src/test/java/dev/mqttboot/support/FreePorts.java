package dev.mqttboot.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for servers a test starts itself (a cluster port, Mosquitto, a management port). */
public final class FreePorts {

	private FreePorts() {
	}

	/** @return a TCP port on 127.0.0.1 that was free a moment ago */
	public static int loopback() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
