package dev.twelvefactor.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import dev.twelvefactor.sample.KeepAliveClient.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two replicas of the packaged sample app behind a real load balancer, HAProxy, set up as
 * kube-proxy forwards: TCP mode, no retries, and a health check of the readiness probe on
 * the management port. Under steady keep-alive load, one replica is restarted after the
 * other, each replacement started once the old one has exited. With the drain delay no
 * request fails; with the delay at 0 some do, which is the loss the delay is for.
 *
 * @author twelvefactor
 */
class LoadBalancerIntegrationTests {

	private static final Duration DRAIN_DELAY = Duration.ofSeconds(3);

	private static final int CLIENTS = 8;

	/**
	 * Server-side work per request: the clients keep the replicas busy without taking the
	 * CPU that the replicas need to start.
	 */
	private static final String PATH = "/work?ms=50";

	@Test
	void rollingRestartBehindHaproxyLosesNoRequestWithTheDrainDelay() throws Exception {
		Rollout rollout = Rollout.run(DRAIN_DELAY);
		assertThat(rollout.sent()).isGreaterThan(1000);
		assertThat(rollout.failures()).as(rollout.toString()).isEmpty();
		// Both phases of each stop: the delay, spent serving with Connection: close
		assertThat(rollout.exitLines()).hasSize(2)
			.allSatisfy((line) -> assertThat(line).containsPattern("served for 3\\d{3} ms of drain delay, closing "
					+ "[1-9]\\d* connections"));
	}

	@Test
	void rollingRestartBehindHaproxyWithoutTheDrainDelayLosesRequests() throws Exception {
		Rollout rollout = Rollout.run(Duration.ZERO);
		assertThat(rollout.sent()).isGreaterThan(1000);
		assertThat(rollout.failures()).as(rollout.toString()).isNotEmpty();
	}

	/**
	 * One rolling restart of two replicas under load, and what the clients saw.
	 */
	private static final class Rollout implements AutoCloseable {

		private final Duration drainDelay;

		private final int frontendPort = SampleAppProcess.freePort();

		private final int statsPort = SampleAppProcess.freePort();

		private final int[] ports = { SampleAppProcess.freePort(), SampleAppProcess.freePort() };

		private final int[] managementPorts = { SampleAppProcess.freePort(), SampleAppProcess.freePort() };

		private final SampleAppProcess[] replicas = new SampleAppProcess[2];

		private final List<String> exitLines = new ArrayList<>();

		private final List<String> timeline = new ArrayList<>();

		private final AtomicBoolean loading = new AtomicBoolean(true);

		private final LongAdder sent = new LongAdder();

		private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

		private final long began = System.nanoTime();

		private Process haproxy;

		private Path haproxyLog;

		private Rollout(Duration drainDelay) {
			this.drainDelay = drainDelay;
		}

		static Rollout run(Duration drainDelay) throws Exception {
			Path haproxy = ExternalTool.require("haproxy", "apt-get install haproxy");
			try (Rollout rollout = new Rollout(drainDelay)) {
				rollout.start(haproxy);
				List<Thread> clients = new ArrayList<>();
				for (int i = 0; i < CLIENTS; i++) {
					Thread client = new Thread(rollout::load, "client-" + i);
					client.start();
					clients.add(client);
				}
				rollout.awaitTraffic();
				rollout.restart(0);
				rollout.restart(1);
				rollout.awaitTraffic();
				rollout.loading.set(false);
				for (Thread client : clients) {
					client.join(TimeUnit.SECONDS.toMillis(60));
				}
				System.out.println(rollout);
				return rollout;
			}
		}

		private void start(Path haproxy) throws IOException {
			for (int i = 0; i < 2; i++) {
				this.replicas[i] = replica(i);
			}
			for (SampleAppProcess replica : this.replicas) {
				replica.awaitReady();
			}
			Path configuration = Files.createTempFile("haproxy-", ".cfg");
			Files.writeString(configuration, configuration());
			this.haproxyLog = Files.createTempFile("haproxy-", ".log");
			this.haproxy = new ProcessBuilder(haproxy.toString(), "-db", "-f", configuration.toString())
				.redirectErrorStream(true)
				.redirectOutput(this.haproxyLog.toFile())
				.start();
			awaitStatus(0, "UP");
			awaitStatus(1, "UP");
			note("both replicas UP in HAProxy");
		}

		private SampleAppProcess replica(int index) {
			return SampleAppProcess.builder()
				.env("PORT", String.valueOf(this.ports[index]))
				.env("MANAGEMENT_SERVER_PORT", String.valueOf(this.managementPorts[index]))
				.env("TWELVEFACTOR_DRAIN_DELAY", String.valueOf(this.drainDelay.toMillis()) + "ms")
				.start();
		}

		/**
		 * HAProxy as kube-proxy forwards: TCP, the client's connection tied to one replica,
		 * no retry of a failed connection elsewhere; replicas checked on their readiness
		 * probe every 500 ms, out after 2 failures, in after 2 successes.
		 */
		private String configuration() {
			return String.join("\n", "global", "    maxconn 1000", "    log stderr format raw local0 info",
					"defaults", "    log global", "    option tcplog", "    mode tcp", "    retries 0",
					"    timeout connect 2s", "    timeout client 60s", "    timeout server 60s", "    timeout check 1s",
					"frontend application", "    bind 127.0.0.1:" + this.frontendPort,
					"    default_backend replicas", "backend replicas", "    balance roundrobin", "    option httpchk",
					"    http-check send meth GET uri /actuator/health/readiness ver HTTP/1.1 hdr Host localhost",
					"    http-check expect status 200", "    default-server inter 500ms fall 2 rise 2",
					"    server replica0 127.0.0.1:" + this.ports[0] + " check port " + this.managementPorts[0],
					"    server replica1 127.0.0.1:" + this.ports[1] + " check port " + this.managementPorts[1],
					"listen stats", "    bind 127.0.0.1:" + this.statsPort, "    mode http", "    stats enable",
					"    stats uri /stats", "");
		}

		/**
		 * Send requests one after the other over a kept-alive connection through HAProxy,
		 * counting every request that gets no 200.
		 */
		private void load() {
			try (KeepAliveClient client = new KeepAliveClient(this.frontendPort)) {
				while (this.loading.get()) {
					this.sent.increment();
					try {
						Response response = client.get(PATH);
						if (response.status() != 200) {
							failed("status " + response.status());
						}
					}
					catch (IOException ex) {
						failed(ex.getClass().getSimpleName() + ": " + ex.getMessage());
					}
				}
			}
		}

		private void failed(String what) {
			this.failures.computeIfAbsent(what, (key) -> new LongAdder()).increment();
		}

		/**
		 * Wait until both replicas have served requests of the load since now.
		 */
		private void awaitTraffic() {
			long sent = this.sent.sum();
			await(() -> this.sent.sum() > sent + 200, Duration.ofSeconds(30), "the load to go on");
		}

		/**
		 * Stop a replica with SIGTERM, as Kubernetes does, start its replacement once it has
		 * exited, and wait until HAProxy sends it traffic again.
		 */
		private void restart(int index) throws IOException {
			SampleAppProcess old = this.replicas[index];
			long signalled = System.nanoTime();
			note("SIGTERM to replica" + index);
			old.process().destroy();
			awaitStatus(index, "DOWN");
			note("replica" + index + " DOWN in HAProxy, "
					+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled) + " ms after SIGTERM");
			assertThat(old.awaitExit(Duration.ofSeconds(60))).isEqualTo(143);
			note("replica" + index + " exited");
			old.stderr().lines().filter((line) -> line.contains("Exit: drained")).forEach(this.exitLines::add);
			this.replicas[index] = replica(index).awaitReady();
			awaitStatus(index, "UP");
			note("replica" + index + " replaced and UP in HAProxy");
		}

		private void awaitStatus(int index, String status) {
			await(() -> status.equals(status(index)), Duration.ofSeconds(90),
					"replica" + index + " to be " + status + " in HAProxy");
		}

		/**
		 * Return the status of a replica in HAProxy's statistics, such as {@code UP},
		 * {@code DOWN}, or {@code UP 1/2} while it is going down.
		 */
		private String status(int index) {
			HttpResponse<String> response;
			try {
				response = SampleAppProcess.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + this.statsPort + "/stats;csv"))
					.timeout(Duration.ofSeconds(5))
					.build());
			}
			catch (UncheckedIOException ex) {
				return "no statistics: " + ex.getMessage();
			}
			List<String> lines = response.body().lines().toList();
			if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
				return "no statistics";
			}
			List<String> columns = List.of(lines.get(0).substring(2).split(","));
			for (String line : lines.subList(1, lines.size())) {
				String[] fields = line.split(",", -1);
				if (fields[0].equals("replicas") && fields[1].equals("replica" + index)) {
					return fields[columns.indexOf("status")];
				}
			}
			return "unknown";
		}

		private void note(String event) {
			this.timeline.add(String.format("%6d ms  %s (%d requests sent, %d failed)",
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.began), event, this.sent.sum(),
					failureCount()));
		}

		long sent() {
			return this.sent.sum();
		}

		Map<String, Long> failures() {
			Map<String, Long> failures = new TreeMap<>();
			this.failures.forEach((what, count) -> failures.put(what, count.sum()));
			return failures;
		}

		private long failureCount() {
			return this.failures.values().stream().mapToLong(LongAdder::sum).sum();
		}

		List<String> exitLines() {
			return this.exitLines;
		}

		private static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (!condition.getAsBoolean()) {
				if (System.nanoTime() > deadline) {
					fail("Timed out after " + timeout + " waiting for " + what);
				}
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					fail("Interrupted waiting for " + what);
				}
			}
		}

		@Override
		public void close() {
			this.loading.set(false);
			if (this.haproxy != null) {
				this.haproxy.destroy();
			}
			for (SampleAppProcess replica : this.replicas) {
				if (replica != null) {
					replica.close();
				}
			}
		}

		@Override
		public String toString() {
			StringBuilder report = new StringBuilder("Rolling restart behind HAProxy with a drain delay of ")
				.append(this.drainDelay.toMillis())
				.append(" ms: ")
				.append(this.sent.sum())
				.append(" requests sent, ")
				.append(failureCount())
				.append(" failed ")
				.append(failures())
				.append("\n");
			this.timeline.forEach((event) -> report.append(event).append("\n"));
			this.exitLines.forEach((line) -> report.append(line.substring(line.indexOf("Exit:"))).append("\n"));
			report.append("HAProxy's log: ").append(this.haproxyLog).append("\n");
			return report.toString();
		}

	}

}
