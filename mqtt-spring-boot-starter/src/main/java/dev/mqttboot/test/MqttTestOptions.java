package dev.mqttboot.test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import javax.net.ssl.SSLSocketFactory;

import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link MqttTestClient} connects: MQTT 3.1.1, anonymous, a clean session, one attempt, unless told otherwise.
 *
 * <pre class="code">
 * MqttTestOptions options = new MqttTestOptions().credentials("device", "secret").cleanSession(false);
 * try (MqttTestClient device = MqttTestClient.connect("tcp://127.0.0.1:1883", "device-1", options)) {
 *     device.subscribe("commands/device-1/#", 1);
 * }
 * </pre>
 */
public final class MqttTestOptions {

	private @Nullable String userName;

	private char @Nullable [] password;

	private boolean cleanSession = true;

	private Duration keepAlive = Duration.ofSeconds(30);

	private Duration connectionTimeout = Duration.ofSeconds(30);

	private int maxInflight = 1000;

	private @Nullable SSLSocketFactory socketFactory;

	private String[] failoverUrls = new String[0];

	/**
	 * Connect with a user name and password.
	 * @param userName the user name
	 * @param password the password
	 * @return these options
	 */
	public MqttTestOptions credentials(String userName, String password) {
		this.userName = userName;
		this.password = password.toCharArray();
		return this;
	}

	/**
	 * Whether the session ends with the connection (default {@code true}). A persistent session keeps its
	 * subscriptions and queues QoS 1 and 2 messages while the client is away.
	 * @param cleanSession whether the session is clean
	 * @return these options
	 */
	public MqttTestOptions cleanSession(boolean cleanSession) {
		this.cleanSession = cleanSession;
		return this;
	}

	/**
	 * The keep-alive interval the client asks for (default 30 s); zero turns it off, for a client that stops reading
	 * on purpose and would otherwise give up on a PINGRESP it does not read.
	 * @param keepAlive the keep-alive, in whole seconds
	 * @return these options
	 */
	public MqttTestOptions keepAlive(Duration keepAlive) {
		this.keepAlive = keepAlive;
		return this;
	}

	/**
	 * How long to wait for the broker's CONNACK (default 30 s).
	 * @param connectionTimeout the timeout, in whole seconds
	 * @return these options
	 */
	public MqttTestOptions connectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
		return this;
	}

	/**
	 * How many QoS 1 and 2 messages the client keeps unacknowledged at most (default 1000).
	 * @param maxInflight the window
	 * @return these options
	 */
	public MqttTestOptions maxInflight(int maxInflight) {
		this.maxInflight = maxInflight;
		return this;
	}

	/**
	 * The socket factory for {@code ssl://} and {@code wss://} URLs, for example one trusting a test CA.
	 * @param socketFactory the factory
	 * @return these options
	 */
	public MqttTestOptions socketFactory(SSLSocketFactory socketFactory) {
		this.socketFactory = socketFactory;
		return this;
	}

	/**
	 * Other brokers to try, in order, when the first is unreachable or its connection is lost, the way a device knows
	 * every node of a cluster. With them the client reconnects on its own and subscribes again to every filter it
	 * subscribed to (a session that lands on another node may be new there).
	 * @param urls the other brokers' URLs
	 * @return these options
	 */
	public MqttTestOptions failover(String... urls) {
		this.failoverUrls = urls.clone();
		return this;
	}

	boolean reconnects() {
		return this.failoverUrls.length > 0;
	}

	MqttConnectOptions toPaho(String url) {
		MqttConnectOptions options = new MqttConnectOptions();
		// Paho's default retries a refused MQTT 3.1.1 CONNECT as MQTT 3.1; a test wants one attempt and its answer.
		options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
		options.setCleanSession(this.cleanSession);
		options.setKeepAliveInterval(Math.toIntExact(this.keepAlive.toSeconds()));
		options.setConnectionTimeout(Math.toIntExact(this.connectionTimeout.toSeconds()));
		options.setMaxInflight(this.maxInflight);
		if (this.userName != null) {
			options.setUserName(this.userName);
			options.setPassword(Objects.requireNonNull(this.password));
		}
		if (this.socketFactory != null) {
			options.setSocketFactory(this.socketFactory);
		}
		if (reconnects()) {
			String[] urls = new String[this.failoverUrls.length + 1];
			urls[0] = url;
			System.arraycopy(this.failoverUrls, 0, urls, 1, this.failoverUrls.length);
			options.setServerURIs(urls);
			options.setAutomaticReconnect(true);
			options.setMaxReconnectDelay(1000);
		}
		else {
			options.setAutomaticReconnect(false);
		}
		return options;
	}

	@Override
	public String toString() {
		return "MqttTestOptions[userName=" + this.userName + ", cleanSession=" + this.cleanSession + ", keepAlive="
				+ this.keepAlive + ", failover=" + Arrays.toString(this.failoverUrls) + "]";
	}

}
