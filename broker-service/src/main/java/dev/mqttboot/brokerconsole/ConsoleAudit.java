package dev.mqttboot.brokerconsole;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's audit trail: every action (publish, disconnect, clear) is logged with the management user who took
 * it, on the logger {@code dev.mqttboot.brokerconsole.audit}, before the broker carries it out.
 */
final class ConsoleAudit {

	private static final Logger audit = LoggerFactory.getLogger("dev.mqttboot.brokerconsole.audit");

	private ConsoleAudit() {
	}

	static void action(String user, String action, String subject, String detail) {
		audit.info("user={} action={} subject='{}' {}", user, action, subject, detail);
	}

}
