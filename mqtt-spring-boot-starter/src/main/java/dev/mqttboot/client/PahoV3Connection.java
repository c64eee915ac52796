package dev.mqttboot.client;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.integration.mqtt.core.Mqttv3ClientManager;

/**
 * An MQTT 3.1.1 connection on Spring Integration's {@link Mqttv3ClientManager} (Eclipse Paho v3). The manager owns
 * the Paho client and fans its callbacks out to Spring Integration components; reconnecting is ours (Paho's own
 * automatic reconnect has no configurable first delay and no jitter), so the manager never connects by itself.
 */
final class PahoV3Connection extends AbstractPahoConnection {

	private static final Logger logger = LoggerFactory.getLogger(PahoV3Connection.class);

	private static final int MAX_INFLIGHT = MqttException.REASON_CODE_MAX_INFLIGHT;

	private final List<MqttConnectOptionsCustomizers.V3> customizers;

	private volatile MqttConnectOptions options;

	private volatile SharedClientManager manager;

	PahoV3Connection(MqttConnectionSettings settings, Supplier<String> embeddedBrokerUrl, Consumer<Object> events,
			List<MqttConnectOptionsCustomizers.V3> customizers) {
		super(settings, embeddedBrokerUrl, events);
		this.customizers = List.copyOf(customizers);
	}

	private static MqttConnectOptions connectOptions(MqttConnectionSettings settings, List<String> urls) {
		MqttConnectOptions options = new MqttConnectOptions();
		options.setServerURIs(urls.toArray(String[]::new));
		options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
		options.setAutomaticReconnect(false);
		options.setCleanSession(settings.cleanSession());
		options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
		options.setConnectionTimeout((int) Math.max(1, settings.connectionTimeout().toSeconds()));
		options.setMaxInflight(settings.maxInflight());
		if (settings.username() != null) {
			options.setUserName(settings.username());
		}
		if (settings.password() != null) {
			options.setPassword(settings.password().toCharArray());
		}
		if (settings.will() != null) {
			options.setWill(settings.will().topic(), settings.will().payload(), settings.will().qos(),
					settings.will().retained());
		}
		if (settings.sslBundle() != null) {
			options.setSocketFactory(settings.sslBundle().createSslContext().getSocketFactory());
		}
		return options;
	}

	/** The Spring Integration client manager behind this connection (for inbound adapters). */
	Mqttv3ClientManager clientManager() {
		return this.manager;
	}

	@Override
	void createClient(List<String> urls) {
		MqttConnectOptions connectOptions = connectOptions(this.settings, urls);
		this.customizers.forEach((customizer) -> customizer.customize(this.settings.name(), connectOptions));
		SharedClientManager clientManager = new SharedClientManager(connectOptions, this.settings.clientId());
		clientManager.setCompletionTimeout(this.settings.connectionTimeout().toMillis());
		// On stop, give in-flight work a moment rather than Paho's default 30 s.
		clientManager.setQuiescentTimeout(QUIESCE_MILLIS);
		// Messages are acknowledged when their handlers are done (at-least-once), not on arrival.
		clientManager.setManualAcks(true);
		clientManager.setDisconnectCompletionTimeout(DISCONNECT_MILLIS);
		clientManager.start();
		this.options = connectOptions;
		this.manager = clientManager;
	}

	@Override
	void connectAsync() {
		IMqttAsyncClient client = this.manager.getClient();
		if (client == null || client.isConnected()) {
			return;
		}
		try {
			client.connect(this.options, null, new IMqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					connectSucceeded((client instanceof MqttAsyncClient async) ? async.getCurrentServerURI()
							: client.getServerURI(), token.getSessionPresent());
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					connectFailed(cause);
				}
			});
		}
		catch (MqttException ex) {
			if (ex.getReasonCode() != MqttException.REASON_CODE_CONNECT_IN_PROGRESS) {
				connectFailed(ex);
			}
		}
	}

	@Override
	boolean send(PendingPublish publish) {
		IMqttAsyncClient client = this.manager.getClient();
		MqttMessage message = new MqttMessage(publish.payload());
		message.setQos(publish.qos());
		message.setRetained(publish.options().retained());
		try {
			if (client == null) {
				throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
			}
			client.publish(publish.topic(), message, null, new IMqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					publish.future().complete(null);
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					publish.future().completeExceptionally(new MqttPublishException("Publish to '" + publish.topic()
							+ "' at QoS " + publish.qos() + " was not acknowledged: " + cause, cause));
				}
			});
		}
		catch (MqttException ex) {
			if (ex.getReasonCode() == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
					|| ex.getReasonCode() == MAX_INFLIGHT) {
				return false;
			}
			publish.future().completeExceptionally(
					new MqttPublishException("Publish to '" + publish.topic() + "' failed: " + ex, ex));
		}
		return true;
	}

	@Override
	void sendSubscribe(String topicFilter, int qos) {
		IMqttAsyncClient client = this.manager.getClient();
		try {
			client.subscribe(topicFilter, qos, null, new IMqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					int[] granted = token.getGrantedQos();
					subscriptionResult(topicFilter, (granted != null && granted.length > 0) ? granted[0] : 0x80);
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					subscriptionResult(topicFilter, 0x80);
				}
			});
		}
		catch (MqttException ex) {
			logger.debug("Subscribe to '{}' not sent now ({}); it is made on the next connect", topicFilter,
					ex.getMessage());
		}
	}

	@Override
	void sendUnsubscribe(String topicFilter) {
		try {
			this.manager.getClient().unsubscribe(topicFilter);
		}
		catch (MqttException ex) {
			logger.debug("Unsubscribe from '{}' failed: {}", topicFilter, ex.getMessage());
		}
	}

	@Override
	void acknowledge(int messageId, int qos) {
		if (qos == 0) {
			return;
		}
		try {
			var client = this.manager.getClient();
			if (client != null) {
				client.messageArrivedComplete(messageId, qos);
			}
		}
		catch (MqttException ex) {
			logger.debug("Acknowledgement of message {} not sent ({}); the broker will redeliver it", messageId,
					ex.getMessage());
		}
	}

	@Override
	void closeClient() {
		if (this.manager != null) {
			this.manager.stop();
		}
	}

	/**
	 * The shared client manager: creates the client without connecting (this connection connects), and reports
	 * connection loss and arriving messages to it instead of only logging them.
	 */
	private final class SharedClientManager extends Mqttv3ClientManager {

		SharedClientManager(MqttConnectOptions options, String clientId) {
			super(options, clientId);
		}

		@Override
		public void start() {
			this.lock.lock();
			try {
				if (getClient() == null) {
					MqttAsyncClient client = new MqttAsyncClient(getUrl(), getClientId(), new MemoryPersistence());
					client.setManualAcks(isManualAcks());
					client.setCallback(this);
					setClient(client);
				}
			}
			catch (MqttException ex) {
				throw new IllegalStateException("Cannot create the MQTT client '" + getClientId() + "' for "
						+ getUrl() + ": " + ex.getMessage(), ex);
			}
			finally {
				this.lock.unlock();
			}
		}

		@Override
		public void connectionLost(Throwable cause) {
			PahoV3Connection.this.connectionLost(cause);
		}

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			super.messageArrived(topic, message);
			dispatch(new ReceivedMessage(topic, message.getPayload(), message.getQos(), message.isRetained(),
					message.isDuplicate(), message.getId(), Map.of(), null, null, null));
		}

	}

}
