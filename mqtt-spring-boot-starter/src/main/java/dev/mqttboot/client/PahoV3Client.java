package dev.mqttboot.client;

import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

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
 * MQTT 3.1.1 on Spring Integration's {@link Mqttv3ClientManager} (Eclipse Paho v3). The manager owns the Paho client;
 * connecting and reconnecting are {@link PahoConnection}'s (Paho's own automatic reconnect has no configurable first
 * delay and no jitter), so the manager never connects by itself.
 */
final class PahoV3Client implements PahoClient {

	private static final Logger logger = LoggerFactory.getLogger(PahoV3Client.class);

	private static final int MAX_INFLIGHT = MqttException.REASON_CODE_MAX_INFLIGHT;

	private final MqttConnectOptions options;

	private final SharedClientManager manager;

	private final Callbacks callbacks;

	PahoV3Client(MqttConnectionSettings settings, MqttConnectionSettings.Address address,
			List<MqttConnectOptionsCustomizers.V3> customizers, Callbacks callbacks) {
		this.callbacks = callbacks;
		MqttConnectOptions connectOptions = connectOptions(settings, address);
		customizers.forEach((customizer) -> customizer.customize(settings.name(), connectOptions));
		OwnedOptions.check(settings.name(), connectOptions.isAutomaticReconnect());
		SharedClientManager clientManager = new SharedClientManager(connectOptions, settings.clientId());
		OwnedOptions.configure(clientManager, settings);
		clientManager.start();
		this.options = connectOptions;
		this.manager = clientManager;
	}

	private static MqttConnectOptions connectOptions(MqttConnectionSettings settings,
			MqttConnectionSettings.Address address) {
		MqttConnectOptions options = new MqttConnectOptions();
		options.setServerURIs(address.urls().toArray(String[]::new));
		options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
		options.setAutomaticReconnect(false);
		options.setCleanSession(settings.cleanSession());
		options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
		options.setConnectionTimeout((int) Math.max(1, settings.connectionTimeout().toSeconds()));
		options.setMaxInflight(settings.maxInflight());
		if (address.username() != null) {
			options.setUserName(address.username());
		}
		if (address.password() != null) {
			options.setPassword(address.password().toCharArray());
		}
		if (settings.will() != null) {
			options.setWill(settings.will().topic(), settings.will().payload(), settings.will().qos(),
					settings.will().retained());
		}
		if (address.sslBundle() != null) {
			options.setSocketFactory(BundleSocketFactory.following(settings, address.sslBundle()));
		}
		return options;
	}

	@Override
	public void connect(ConnectListener listener) {
		IMqttAsyncClient client = this.manager.getClient();
		if (client == null || client.isConnected()) {
			return;
		}
		try {
			client.connect(this.options, null, new IMqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					listener.connected((client instanceof MqttAsyncClient async) ? async.getCurrentServerURI()
							: client.getServerURI(), token.getSessionPresent());
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					listener.failed(cause);
				}
			});
		}
		catch (MqttException ex) {
			if (ex.getReasonCode() != MqttException.REASON_CODE_CONNECT_IN_PROGRESS) {
				listener.failed(ex);
			}
		}
	}

	@Override
	public boolean publish(PendingPublish publish) {
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
					publish.acknowledged();
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					publish.notAcknowledged(cause);
				}
			});
		}
		catch (MqttException ex) {
			if (ex.getReasonCode() == MqttException.REASON_CODE_CLIENT_NOT_CONNECTED
					|| ex.getReasonCode() == MAX_INFLIGHT) {
				return false;
			}
			publish.failed(ex);
		}
		return true;
	}

	/** The Paho client, which exists once the connection has been started. */
	private IMqttAsyncClient client() {
		IMqttAsyncClient client = this.manager.getClient();
		if (client == null) {
			throw new IllegalStateException("The MQTT client has not been started");
		}
		return client;
	}

	@Override
	public void subscribe(String topicFilter, int qos, IntConsumer answer) {
		IMqttAsyncClient client = client();
		try {
			client.subscribe(topicFilter, qos, null, new IMqttActionListener() {
				@Override
				public void onSuccess(IMqttToken token) {
					int[] granted = token.getGrantedQos();
					answer.accept((granted != null && granted.length > 0) ? granted[0] : 0x80);
				}

				@Override
				public void onFailure(IMqttToken token, Throwable cause) {
					answer.accept(0x80);
				}
			});
		}
		catch (MqttException ex) {
			logger.debug("Subscribe to '{}' not sent now ({}); it is made on the next connect", topicFilter,
					ex.getMessage());
		}
	}

	@Override
	public void unsubscribe(String topicFilter) {
		try {
			client().unsubscribe(topicFilter);
		}
		catch (MqttException ex) {
			logger.debug("Unsubscribe from '{}' failed: {}", topicFilter, ex.getMessage());
		}
	}

	@Override
	public void acknowledge(int messageId, int qos) {
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
	public void close() {
		this.manager.stop();
	}

	/**
	 * The client manager, through its protected API: it creates the client without connecting (Spring Integration
	 * offers no public way to, its {@code start()} always connects), and reports connection loss and arriving
	 * messages instead of only logging them.
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
			PahoV3Client.this.callbacks.connectionLost(cause);
		}

		@Override
		public void messageArrived(String topic, MqttMessage message) {
			PahoV3Client.this.callbacks.messageArrived(new ReceivedMessage(topic, message.getPayload(), message.getQos(), message.isRetained(),
					message.isDuplicate(), message.getId(), Map.of(), null, null, null));
		}

	}

}
