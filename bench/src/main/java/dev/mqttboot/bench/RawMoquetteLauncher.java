package dev.mqttboot.bench;

import java.util.Properties;

import io.moquette.broker.Server;

/**
 * The baseline: Moquette 0.17 as a library with its defaults, except what a benchmark on loopback needs (the port and
 * host), no telemetry (no network here), and persistence off like broker-service in the bench.
 */
public final class RawMoquetteLauncher {

	private RawMoquetteLauncher() {
	}

	public static void main(String[] args) throws Exception {
		Properties properties = new Properties();
		properties.setProperty("port", args[0]);
		properties.setProperty("host", "127.0.0.1");
		properties.setProperty("telemetry_enabled", "false");
		properties.setProperty("persistence_enabled", "false");
		properties.setProperty("data_path", args[1]);
		Server server = new Server();
		server.startServer(properties);
		Runtime.getRuntime().addShutdownHook(new Thread(server::stopServer));
		Thread.currentThread().join();
	}

}
