package dev.mqttboot.broker.moquette;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.moquette.broker.ISessionsRepository;
import io.moquette.broker.ISessionsRepository.SessionData;
import io.moquette.persistence.H2Builder;

/**
 * Every persistent session in the store has an expiry instant. Moquette writes one only when it stops gracefully and,
 * at start, fails on any persistent session without one, so a store left by a hard kill could not be opened again.
 * Each persistent session is therefore stored with the expiry a graceful stop would give it as soon as it connects,
 * and a store found without them is repaired before the engine opens it.
 */
final class SessionExpiry {

	private SessionExpiry() {
	}

	/**
	 * What to store for a persistent session that just connected.
	 * @param session the session as the engine holds it
	 * @return the session with its expiry computed from now, or empty when it has one already
	 */
	static Optional<SessionData> toStore(SessionData session) {
		return session.expireAt().isEmpty() ? Optional.of(session.withExpirationComputed()) : Optional.empty();
	}

	/**
	 * Make a store left by a hard kill startable again, before the engine opens it: each persistent session without
	 * an expiry gets the one a graceful stop would have given it, counted from now.
	 * @param dataPath the engine's {@code data_path}
	 * @return how many sessions were repaired
	 */
	static int repairStore(Path dataPath) {
		if (!Files.exists(dataPath.resolve("moquette_store.h2"))) {
			return 0;
		}
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		H2Builder store = new H2Builder(scheduler, dataPath, Integer.MAX_VALUE, Clock.systemDefaultZone());
		try {
			store.initStore();
			ISessionsRepository sessions = store.sessionsRepository();
			int repaired = 0;
			for (SessionData session : sessions.list()) {
				Optional<SessionData> repairedSession = toStore(session);
				if (repairedSession.isPresent()) {
					sessions.saveSession(repairedSession.get());
					repaired++;
				}
			}
			return repaired;
		}
		finally {
			store.closeStore();
			scheduler.shutdownNow();
		}
	}

}
