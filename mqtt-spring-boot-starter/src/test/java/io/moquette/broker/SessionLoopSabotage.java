package io.moquette.broker;

import java.lang.reflect.Field;

/**
 * Test-only: makes one of Moquette's session loops throw, the way an unknown engine bug would, to prove the broker
 * reports a dead loop at once.
 */
public final class SessionLoopSabotage {

	private SessionLoopSabotage() {
	}

	public static void killLoopOf(Server server, String clientId) throws ReflectiveOperationException {
		Field field = Server.class.getDeclaredField("dispatcher");
		field.setAccessible(true);
		PostOffice postOffice = (PostOffice) field.get(server);
		postOffice.routeCommand(clientId, "sabotage", () -> {
			throw new IllegalStateException("simulated engine failure");
		});
	}

}
