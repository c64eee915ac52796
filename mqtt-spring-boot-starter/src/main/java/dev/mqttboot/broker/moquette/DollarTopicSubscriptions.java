package dev.mqttboot.broker.moquette;

import dev.mqttboot.core.TopicSyntax;
import java.util.List;
import java.util.Set;

import io.moquette.broker.ISubscriptionsRepository;
import io.moquette.broker.subscriptions.ISubscriptionsDirectory;
import io.moquette.broker.subscriptions.Subscription;
import io.moquette.broker.subscriptions.Topic;

/**
 * The engine's subscription directory, with MQTT's rule for topics that start with {@code $} [MQTT-4.7.2-1]: a filter
 * that starts with a wildcard ({@code #}, {@code +/x}) never matches them, so {@code $SYS/...} or {@code $app/...}
 * reach only subscriptions that name their first level ({@code $SYS/#}). Moquette 0.17 matches them like any topic.
 * Filtering at the match means no delivery is ever queued or put in flight for such a subscription.
 */
final class DollarTopicSubscriptions implements ISubscriptionsDirectory {

	private final ISubscriptionsDirectory engine;

	DollarTopicSubscriptions(ISubscriptionsDirectory engine) {
		this.engine = engine;
	}

	@Override
	public List<Subscription> matchQosSharpening(Topic topic) {
		return withoutWildcardMatchesOfDollarTopics(topic, this.engine.matchQosSharpening(topic));
	}

	@Override
	public List<Subscription> matchWithoutQosSharpening(Topic topic) {
		return withoutWildcardMatchesOfDollarTopics(topic, this.engine.matchWithoutQosSharpening(topic));
	}

	private static List<Subscription> withoutWildcardMatchesOfDollarTopics(Topic topic,
			List<Subscription> matches) {
		if (matches.isEmpty() || !TopicSyntax.isDollarTopic(topic.toString())) {
			return matches;
		}
		return matches.stream()
			.filter((subscription) -> !TopicSyntax.startsWithWildcard(subscription.getTopicFilter().toString()))
			.toList();
	}

	@Override
	public void init(ISubscriptionsRepository repository) {
		this.engine.init(repository);
	}

	@Override
	public Set<String> listAllSessionIds() {
		return this.engine.listAllSessionIds();
	}

	@Override
	public void add(Subscription subscription) {
		this.engine.add(subscription);
	}

	@Override
	public void removeSubscription(Topic topic, String clientId) {
		this.engine.removeSubscription(topic, clientId);
	}

	@Override
	public int size() {
		return this.engine.size();
	}

	@Override
	public String dumpTree() {
		return this.engine.dumpTree();
	}

}
