package dev.mqttboot.bench;

import java.lang.management.ManagementFactory;

import com.sun.management.OperatingSystemMXBean;

/**
 * CPU time used by the broker process and by this load generator during one scenario: both share the machine's cores,
 * so a load generator that eats the CPU would show here.
 */
record Cpu(BrokerProcess broker, long startNanos, long brokerCpu, long ownCpu) {

	static Cpu start(BrokerProcess broker) {
		return new Cpu(broker, System.nanoTime(), (broker != null) ? broker.cpuMillis() : 0, ownCpuMillis());
	}

	void finish(Samples.Recorder out, String name) {
		if (this.broker != null) {
			out.record(name, "broker CPU ms", this.broker.cpuMillis() - this.brokerCpu);
		}
		out.record(name, "load generator CPU ms", ownCpuMillis() - this.ownCpu);
	}

	static long ownCpuMillis() {
		return ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime() / 1_000_000;
	}

}
