package io.moquette.broker;

import java.util.List;
import java.util.Map;

import io.moquette.broker.subscriptions.CTrieSubscriptionDirectory;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The reflection {@link EngineAccess} does inside Moquette 0.17, declared for an AOT (native image) build: every
 * field it reads or replaces. Keep it in step with {@code EngineAccess}.
 */
@NullMarked
public final class EngineAccessRuntimeHints implements RuntimeHintsRegistrar {

	/** The fields {@link EngineAccess} reaches, by declaring class. */
	static final Map<Class<?>, List<String>> FIELDS = Map.of(Server.class,
			List.of("sessions", "dispatcher", "acceptor"), PostOffice.class,
			List.of("sessionLoops", "subscriptions", "retainedRepository"), SessionEventLoopGroup.class,
			List.of("sessionQueues"), SessionRegistry.class,
			List.of("subscriptionsDirectory", "pool", "sessionsRepository", "queueRepository"),
			CTrieSubscriptionDirectory.class, List.of("subscriptionsRepository"), MQTTConnection.class,
			List.of("bindedSession", "lastPacketId"), Session.class, List.of("inflightWindow", "sessionQueue"),
			NewNettyAcceptor.class, List.of("bossGroup", "workerGroup"));

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		FIELDS.forEach((owner, fields) -> hints.reflection().registerType(owner, (type) -> {
			for (String field : fields) {
				type.withField(field);
			}
		}));
	}

}
