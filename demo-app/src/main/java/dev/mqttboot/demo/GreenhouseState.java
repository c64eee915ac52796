package dev.mqttboot.demo;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * What the app knows about each zone, built from the messages it receives.
 */
@Component
public class GreenhouseState {

	private final Map<String, Zone> zones = new ConcurrentHashMap<>();

	Zone zone(String name) {
		return this.zones.computeIfAbsent(name, Zone::new);
	}

	/**
	 * All zones, by name.
	 * @return the zones
	 */
	public Map<String, Zone> zones() {
		return new TreeMap<>(this.zones);
	}

	/** One zone. */
	public static final class Zone {

		private final String name;

		private final Map<String, Reading> sensors = new ConcurrentHashMap<>();

		private final Map<String, String> devices = new ConcurrentHashMap<>();

		private volatile int alerts;

		private volatile String lastReply;

		private volatile Instant updated;

		Zone(String name) {
			this.name = name;
		}

		void reading(String sensor, Reading reading) {
			this.sensors.put(sensor, reading);
			this.updated = Instant.now();
		}

		void device(String device, String status) {
			this.devices.put(device, status);
		}

		void alert() {
			this.alerts++;
		}

		void reply(String reply) {
			this.lastReply = reply;
		}

		public String getName() {
			return this.name;
		}

		public Map<String, Reading> getSensors() {
			return new TreeMap<>(this.sensors);
		}

		public Map<String, String> getDevices() {
			return new TreeMap<>(this.devices);
		}

		public int getAlerts() {
			return this.alerts;
		}

		public String getLastReply() {
			return this.lastReply;
		}

		public Instant getUpdated() {
			return this.updated;
		}

	}

}
