package dev.mqttboot.brokerconsole;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mqttboot.broker.MqttBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The console's live views: a watch on the broker per open page, streamed to it as Server-Sent Events. The broker
 * thread only puts a message in the watch's bounded buffer (the oldest is dropped, and counted, when the page falls
 * behind); a scheduler sends what is buffered a few times a second. The watch obeys the access rules as a client of
 * the management user would: a filter the user may not subscribe to is refused, a message a deny rule keeps from the
 * user is not shown.
 */
public class LiveWatches {

	/** The client id the access rules see for the console ({@code %c} in a rule). */
	public static final String CONSOLE_CLIENT_ID = "broker-service-console";

	private static final Logger logger = LoggerFactory.getLogger(LiveWatches.class);

	private static final Duration FLUSH_INTERVAL = Duration.ofMillis(250);

	private static final Duration PAGE_TIMEOUT = Duration.ofMinutes(30);

	private final MqttBroker broker;

	private final ConsoleProperties properties;

	private final TaskScheduler scheduler;

	private final AtomicInteger open = new AtomicInteger();

	/**
	 * Create the live views.
	 * @param broker the broker watched
	 * @param properties the console's settings (buffer size, most watches)
	 * @param scheduler sends the buffered messages
	 */
	public LiveWatches(MqttBroker broker, ConsoleProperties properties, TaskScheduler scheduler) {
		this.broker = broker;
		this.properties = properties;
		this.scheduler = scheduler;
	}

	/**
	 * Open a live view of a filter for a user.
	 * @param filter the topic filter
	 * @param user the management user
	 * @return the event stream for the page
	 * @throws WatchRefusedException when the rules refuse the filter to the user, the filter is invalid or too many
	 * watches are open
	 */
	public SseEmitter open(String filter, String user) {
		// The policy never throws: a check that fails is a refusal.
		if (!this.broker.accessPolicy().allowsSubscribe(filter, user, CONSOLE_CLIENT_ID)) {
			throw new WatchRefusedException("The access rules do not let '" + user + "' subscribe to '" + filter + "'");
		}
		if (this.open.incrementAndGet() > this.properties.getMaxWatches()) {
			this.open.decrementAndGet();
			throw new WatchRefusedException("Already " + this.properties.getMaxWatches()
					+ " live watches open (broker-service.console.max-watches)");
		}
		SseEmitter emitter = new SseEmitter(PAGE_TIMEOUT.toMillis());
		Watch watch = new Watch(emitter, user, filter);
		try {
			watch.start();
		}
		catch (RuntimeException ex) {
			watch.close();
			throw new WatchRefusedException(ex.getMessage());
		}
		return emitter;
	}

	/** @return live views open now */
	public int openCount() {
		return this.open.get();
	}

	/** One open page: its buffer, its broker watch and its sending task. */
	private final class Watch {

		private final SseEmitter emitter;

		private final String user;

		private final String filter;

		private final ArrayDeque<WatchedMessage> buffer = new ArrayDeque<>();

		private long dropped;

		private AutoCloseable brokerWatch;

		private ScheduledFuture<?> sending;

		private boolean closed;

		Watch(SseEmitter emitter, String user, String filter) {
			this.emitter = emitter;
			this.user = user;
			this.filter = filter;
		}

		void start() {
			this.emitter.onCompletion(this::close);
			this.emitter.onTimeout(this::close);
			this.emitter.onError((ex) -> close());
			this.brokerWatch = LiveWatches.this.broker.watch(this.filter, (message) -> {
				if (!LiveWatches.this.broker.accessPolicy()
					.deniesRead(message.topic(), this.user, CONSOLE_CLIENT_ID)) {
					add(WatchedMessage.of(message, LiveWatches.this.properties.getPreviewBytes()));
				}
			});
			try {
				// Sent at once, so the page learns that the watch is open before the first message.
				this.emitter.send(SseEmitter.event().comment("watching " + this.filter));
			}
			catch (IOException ex) {
				throw new IllegalStateException("The page went away", ex);
			}
			this.sending = LiveWatches.this.scheduler.scheduleWithFixedDelay(this::send, FLUSH_INTERVAL);
			logger.info("Console: '{}' watches '{}'", this.user, this.filter);
		}

		private synchronized void add(WatchedMessage message) {
			if (this.buffer.size() >= LiveWatches.this.properties.getLiveBufferSize()) {
				this.buffer.pollFirst();
				this.dropped++;
			}
			this.buffer.addLast(message);
		}

		private void send() {
			List<WatchedMessage> batch;
			long droppedNow;
			synchronized (this) {
				if (this.closed || this.buffer.isEmpty() && this.dropped == 0) {
					return;
				}
				batch = new ArrayList<>(this.buffer);
				this.buffer.clear();
				droppedNow = this.dropped;
				this.dropped = 0;
			}
			try {
				for (WatchedMessage message : batch) {
					this.emitter.send(SseEmitter.event().name("message").data(message, MediaType.APPLICATION_JSON));
				}
				if (droppedNow > 0) {
					this.emitter.send(SseEmitter.event().name("dropped").data(droppedNow));
				}
			}
			catch (IOException | IllegalStateException ex) {
				// The page went away.
				close();
			}
		}

		void close() {
			synchronized (this) {
				if (this.closed) {
					return;
				}
				this.closed = true;
				this.buffer.clear();
			}
			if (this.sending != null) {
				this.sending.cancel(false);
			}
			if (this.brokerWatch != null) {
				try {
					this.brokerWatch.close();
				}
				catch (Exception ex) {
					logger.debug("Closing the watch on '{}' failed: {}", this.filter, ex.toString());
				}
			}
			LiveWatches.this.open.decrementAndGet();
		}

	}

}
