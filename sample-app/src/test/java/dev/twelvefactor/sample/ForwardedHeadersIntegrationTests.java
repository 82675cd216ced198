package dev.twelvefactor.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code FORWARDED_ALLOW_IPS} on the packaged app, table-driven against a real Gunicorn:
 * the same requests, from trusted and untrusted peers, over IPv4 and IPv6, with single
 * addresses, CIDR networks and {@code *}, spoofed and multi-hop chains, give the same
 * scheme on both, except in the rows where they differ on purpose (see
 * docs/migration-from-gunicorn.md). The client address differs on purpose: Gunicorn keeps
 * the peer's, the starter takes it from {@code X-Forwarded-For} when the peer is trusted,
 * in the application and in the access log alike.
 *
 * @author twelvefactor
 */
class ForwardedHeadersIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String XFP_HTTPS = "X-Forwarded-Proto: https";

	private static final String IPV6_LOOPBACK = "0:0:0:0:0:0:0:1";

	static Stream<Group> groups() {
		return Stream.of(
				new Group("default (127.0.0.1,::1)", null, "127.0.0.1,::1", "127.0.0.1,::1",
						List.of(Row.same("trusted peer", "127.0.0.1", "https", "203.0.113.7", XFP_HTTPS,
								"X-Forwarded-For: 203.0.113.7"),
								Row.same("untrusted peer, spoofed headers ignored", "127.0.0.2", "http", "127.0.0.2",
										XFP_HTTPS, "X-Forwarded-For: 203.0.113.7"),
								Row.same("trusted IPv6 peer", "::1", "https", "2001:db8::7", XFP_HTTPS,
										"X-Forwarded-For: 2001:db8::7"),
								Row.same("trusted peer, no headers", "127.0.0.1", "http", "127.0.0.1"),
								Row.same("trusted peer, http", "127.0.0.1", "http", "203.0.113.7",
										"X-Forwarded-Proto: http", "X-Forwarded-For: 203.0.113.7"),
								Row.same("trusted peer, https and http hops", "127.0.0.1", "http", "127.0.0.1",
										"X-Forwarded-Proto: https, http"),
								Row.differing("scheme in capitals (differs)", "127.0.0.1", "http", "https", "127.0.0.1",
										"X-Forwarded-Proto: HTTPS"),
								Row.same("trusted peer, X-Forwarded-Ssl on", "127.0.0.1", "https", "203.0.113.7",
										"X-Forwarded-Ssl: on", "X-Forwarded-For: 203.0.113.7"),
								Row.same("trusted peer, X-Forwarded-Protocol ssl", "127.0.0.1", "https", "127.0.0.1",
										"X-Forwarded-Protocol: ssl"),
								Row.same("trusted peer, X-Forwarded-Ssl off", "127.0.0.1", "http", "127.0.0.1",
										"X-Forwarded-Ssl: off"),
								Row.same("trusted peer, scheme headers agreeing", "127.0.0.1", "https", "127.0.0.1",
										XFP_HTTPS, "X-Forwarded-Ssl: on", "X-Forwarded-Protocol: ssl"),
								Row.rejected("trusted peer, scheme headers contradicting", "127.0.0.1", XFP_HTTPS,
										"X-Forwarded-Ssl: off"),
								Row.same("untrusted peer, X-Forwarded-Ssl ignored", "127.0.0.2", "http", "127.0.0.2",
										"X-Forwarded-Ssl: on", "X-Forwarded-Protocol: ssl"),
								Row.same("untrusted peer, contradicting headers ignored", "127.0.0.2", "http",
										"127.0.0.2", XFP_HTTPS, "X-Forwarded-Ssl: off"))),
				new Group("IPv4 network", "127.0.0.0/30", "127.0.0.0/30", "127.0.0.0,127.0.0.1,127.0.0.2,127.0.0.3",
						List.of(Row.same("peer in the network", "127.0.0.2", "https", "203.0.113.7", XFP_HTTPS,
								"X-Forwarded-For: 203.0.113.7"),
								Row.same("multi-hop chain through trusted proxies", "127.0.0.1", "https", "203.0.113.7",
										XFP_HTTPS, "X-Forwarded-For: 203.0.113.7, 127.0.0.3"),
								Row.same("spoofed entry before the client", "127.0.0.1", "https", "203.0.113.7",
										XFP_HTTPS, "X-Forwarded-For: 198.51.100.1, 203.0.113.7"),
								Row.same("peer outside the network", "127.0.0.5", "http", "127.0.0.5", XFP_HTTPS,
										"X-Forwarded-For: 203.0.113.7"),
								Row.same("IPv6 peer, IPv4 network", "::1", "http", IPV6_LOOPBACK, XFP_HTTPS,
										"X-Forwarded-For: 2001:db8::7"))),
				new Group("IPv6 network", "::/126", "::/126", "::,::1,::2,::3",
						List.of(Row.same("IPv6 peer in the network", "::1", "https", "2001:db8::7", XFP_HTTPS,
								"X-Forwarded-For: 2001:db8::7"),
								Row.same("IPv4 peer, IPv6 network", "127.0.0.1", "http", "127.0.0.1", XFP_HTTPS,
										"X-Forwarded-For: 203.0.113.7"))),
				new Group("any peer", "*", "*", "*",
						List.of(Row.same("any peer, whole chain trusted", "127.0.0.2", "https", "198.51.100.1",
								XFP_HTTPS, "X-Forwarded-For: 198.51.100.1, 203.0.113.7"),
								Row.same("any IPv6 peer", "::1", "https", IPV6_LOOPBACK, XFP_HTTPS))),
				new Group("no local peer", "192.0.2.1", "192.0.2.1", "192.0.2.1",
						List.of(Row.same("loopback not trusted", "127.0.0.1", "http", "127.0.0.1", XFP_HTTPS,
								"X-Forwarded-For: 203.0.113.7"))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("groups")
	void sameRequestsGiveTheSameSchemeAsGunicorn(Group group) {
		int port = SampleAppProcess.freePort();
		SampleAppProcess.Builder builder = SampleAppProcess.builder().env("TWELVEFACTOR_BIND", "[::]:" + port).port(port);
		if (group.allow() != null) {
			builder.env("FORWARDED_ALLOW_IPS", group.allow());
		}
		List<String> logged = new ArrayList<>();
		try (SampleAppProcess app = builder.start().awaitReady()) {
			assertThat(app.output()).contains("Forwarded allow ips: " + group.reported()
					+ ((group.allow() != null) ? " (FORWARDED_ALLOW_IPS)" : " (default)"));
			for (Row row : group.rows()) {
				if (row.rejected()) {
					assertThat(row.status(port)).as(row.name()).isEqualTo(400);
					logged.add(row.remoteAddr());
					continue;
				}
				JsonNode client = row.send(port);
				assertThat(client.get("scheme").asString()).as(row.name()).isEqualTo(row.starterScheme());
				assertThat(client.get("secure").asBoolean()).as(row.name()).isEqualTo("https".equals(row.starterScheme()));
				assertThat(client.get("remoteAddr").asString()).as(row.name()).isEqualTo(row.remoteAddr());
				logged.add(row.remoteAddr());
			}
			app.awaitOutput((output) -> app.stdout().lines().count() >= group.rows().size(), Duration.ofSeconds(15));
			// The access log names the client the application sees
			assertThat(app.stdout().lines().map((line) -> line.substring(0, line.indexOf(' '))).toList())
				.isEqualTo(logged);
		}
		// Gunicorn before 24.1 has no networks: give it their addresses one by one
		String gunicornAllow = GunicornProcess.isAtLeast(24, 1) ? group.allowForGunicorn() : group.addressesForGunicorn();
		Map<String, String> environment = new HashMap<>();
		environment.put("FORWARDED_ALLOW_IPS", gunicornAllow);
		try (GunicornProcess gunicorn = GunicornProcess.start(environment)) {
			for (Row row : group.rows()) {
				if (row.rejected()) {
					assertThat(row.status(gunicorn.port())).as("Gunicorn: " + row.name()).isEqualTo(400);
					continue;
				}
				JsonNode client = row.send(gunicorn.port());
				assertThat(client.get("scheme").asString()).as("Gunicorn: " + row.name()).isEqualTo(row.gunicornScheme());
				// Gunicorn leaves the client address as the peer's
				assertThat(client.get("remoteAddr").asString()).as("Gunicorn: " + row.name()).isEqualTo(row.from());
			}
		}
	}

	/**
	 * Requests sent with the same trusted peers.
	 *
	 * @param name what the group shows
	 * @param allow the starter's FORWARDED_ALLOW_IPS, or {@code null} to leave it unset
	 * @param allowForGunicorn Gunicorn's FORWARDED_ALLOW_IPS
	 * @param addressesForGunicorn the same peers, address by address, for a Gunicorn that
	 * has no networks
	 * @param rows the requests
	 */
	record Group(String name, String allow, String allowForGunicorn, String addressesForGunicorn, List<Row> rows) {

		String reported() {
			return (this.allow != null) ? this.allow : "127.0.0.1,::1";
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * A request from a peer with forwarded headers, and what each server makes of it.
	 *
	 * @param name what the row shows
	 * @param from the peer's address
	 * @param gunicornScheme the scheme Gunicorn gives the application, or {@code 400} when
	 * it answers the request so
	 * @param starterScheme the scheme the starter gives the application, or {@code 400}
	 * when it answers the request so
	 * @param remoteAddr the client address the starter gives the application
	 * @param headers the forwarded headers
	 */
	record Row(String name, String from, String gunicornScheme, String starterScheme, String remoteAddr,
			List<String> headers) {

		private static final String REJECTED = "400";

		static Row same(String name, String from, String scheme, String remoteAddr, String... headers) {
			return new Row(name, from, scheme, scheme, remoteAddr, List.of(headers));
		}

		/**
		 * A request both answer {@code 400 Bad Request}.
		 */
		static Row rejected(String name, String from, String... headers) {
			return new Row(name, from, REJECTED, REJECTED, from, List.of(headers));
		}

		boolean rejected() {
			return REJECTED.equals(this.starterScheme);
		}

		int status(int port) {
			String to = (this.from.indexOf(':') >= 0) ? "::1" : "127.0.0.1";
			return RawHttp.get(this.from, to, port, "/client", this.headers.toArray(String[]::new)).status();
		}

		static Row differing(String name, String from, String gunicornScheme, String starterScheme, String remoteAddr,
				String... headers) {
			return new Row(name, from, gunicornScheme, starterScheme, remoteAddr, List.of(headers));
		}

		JsonNode send(int port) {
			String to = (this.from.indexOf(':') >= 0) ? "::1" : "127.0.0.1";
			RawHttp.Response response = RawHttp.get(this.from, to, port, "/client", this.headers.toArray(String[]::new));
			assertThat(response.status()).as(this.name + ": " + response.body()).isEqualTo(200);
			return json.readTree(response.body());
		}

	}

}
