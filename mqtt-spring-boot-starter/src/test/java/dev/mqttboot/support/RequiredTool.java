package dev.mqttboot.support;

import java.io.File;
import java.util.Arrays;

import org.junit.jupiter.api.Assumptions;

/**
 * A program from the machine that a test needs (a third-party client, a checker, a browser). When it is missing, the
 * test fails under {@code CI=true}, where {@code .ci/run} installs it and a skip would hide a gap, and is skipped
 * elsewhere, saying how to install it. Use {@link RequiresTools} on a test class or method, or {@link #assume()}
 * inside a helper that starts the program.
 */
public enum RequiredTool {

	/** Mosquitto, the external MQTT 5 broker. */
	MOSQUITTO("mosquitto", "/usr/sbin/mosquitto"),

	/** {@code mosquitto_pub} and {@code mosquitto_sub}. */
	MOSQUITTO_CLIENTS("mosquitto-clients", "/usr/bin/mosquitto_pub", "/usr/bin/mosquitto_sub"),

	/** Prometheus's {@code promtool}. */
	PROMTOOL("prometheus", "/usr/bin/promtool"),

	/** {@code openssl}, which makes the test certificates. */
	OPENSSL("openssl", "/usr/bin/openssl"),

	/** {@code docker-compose}, which checks the compose file without a Docker engine. */
	DOCKER_COMPOSE("docker-compose", "/usr/bin/docker-compose"),

	/** Headless Chromium and its WebDriver. */
	CHROMIUM("chromium chromium-driver", "/usr/bin/chromium", "/usr/bin/chromedriver");

	private final String debianPackages;

	private final String[] binaries;

	RequiredTool(String debianPackages, String... binaries) {
		this.debianPackages = debianPackages;
		this.binaries = binaries;
	}

	/** @return the path of the tool's (first) program */
	public String path() {
		return this.binaries[0];
	}

	/** @return whether every program of the tool can be run */
	public boolean installed() {
		return Arrays.stream(this.binaries).allMatch((binary) -> new File(binary).canExecute());
	}

	/** Fails the calling test under {@code CI=true}, or skips it, when the tool is missing. */
	public void assume() {
		require(installed(), String.join(" and ", this.binaries), "apt-get install " + this.debianPackages);
	}

	/**
	 * The rule for anything a test needs from the machine: fail under {@code CI=true}, skip elsewhere.
	 * @param installed whether it is there
	 * @param what what is missing
	 * @param install how to install it
	 */
	public static void require(boolean installed, String what, String install) {
		if (installed) {
			return;
		}
		if (inCi()) {
			throw new AssertionError(what + " is missing; CI must install it (" + install + ", see .ci/run)");
		}
		Assumptions.abort(what + " is not installed (" + install + "); skipping");
	}

	/** @return whether the tests run in CI ({@code CI=true}) */
	public static boolean inCi() {
		return "true".equals(System.getenv("CI"));
	}

}
