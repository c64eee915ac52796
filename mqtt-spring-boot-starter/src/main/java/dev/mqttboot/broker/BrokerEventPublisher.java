package dev.mqttboot.broker;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.jspecify.annotations.Nullable;

/**
 * Fans broker events out to the registered listeners; a listener that throws is logged and skipped, never allowed
 * to disturb the broker thread that raised the event. Each engine raises its events through one.
 */
public final class BrokerEventPublisher implements Consumer<BrokerEvent> {

	private static final Logger logger = LoggerFactory.getLogger(BrokerEventPublisher.class);

	private final List<BrokerEventListener> listeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Throwable engineFailure;

	/** @param listener called for every event from now on */
	public void add(BrokerEventListener listener) {
		this.listeners.add(listener);
	}

	/** @return the first {@link BrokerEvent.EngineFailure} raised since {@link #clearEngineFailure()} */
	public Optional<Throwable> engineFailure() {
		return Optional.ofNullable(this.engineFailure);
	}

	/** Forget the engine failure, as the engine starts again. */
	public void clearEngineFailure() {
		this.engineFailure = null;
	}

	@Override
	public void accept(BrokerEvent event) {
		if (event instanceof BrokerEvent.EngineFailure failure && this.engineFailure == null) {
			this.engineFailure = failure.error();
		}
		for (BrokerEventListener listener : this.listeners) {
			try {
				listener.onEvent(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Broker event listener {} failed on {}", listener, event.getClass().getSimpleName(), ex);
			}
		}
	}

}
