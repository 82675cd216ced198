package dev.twelvefactor.tomcat;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.catalina.valves.ValveBase;
import org.junit.jupiter.api.Test;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ForwardedHeadersValve} and {@link ForwardedHeadersCustomizer}. The
 * {@code 400} for contradicting scheme headers is shown on the packaged app, beside
 * Gunicorn, by {@code ForwardedHeadersIntegrationTests}.
 *
 * @author twelvefactor
 */
class ForwardedHeadersValveTests {

	private static final String TRUSTED = "127.0.0.1";

	private static final String UNTRUSTED = "192.0.2.1";

	@Test
	void customizerReplacesSpringBootsValveInPlaceWithItsConfiguration() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		RemoteIpValve configured = remoteIpValve();
		configured.setHostHeader("X-Forwarded-Host");
		configured.setPortHeader("X-Forwarded-Port");
		configured.setTrustedProxies("203\\.0\\.113\\.\\d+");
		configured.setProtocolHeaderHttpsValue("on");
		configured.setChangeLocalPort(true);
		Valve before = new Recorder();
		Valve after = new Recorder();
		factory.addEngineValves(before, configured, after);
		new ForwardedHeadersCustomizer().customize(factory);
		List<Valve> valves = new ArrayList<>(factory.getEngineValves());
		assertThat(valves).hasSize(3);
		assertThat(valves.get(0)).isSameAs(before);
		assertThat(valves.get(2)).isSameAs(after);
		assertThat(valves.get(1)).isInstanceOf(ForwardedHeadersValve.class)
			.usingRecursiveComparison()
			.comparingOnlyFields("remoteIpHeader", "protocolHeader", "protocolHeaderHttpsValue", "hostHeader",
					"portHeader", "proxiesHeader", "changeLocalPort", "requestAttributesEnabled")
			.isEqualTo(configured);
		RemoteIpValve replaced = (RemoteIpValve) valves.get(1);
		assertThat(replaced.getInternalProxies()).isEqualTo(configured.getInternalProxies());
		assertThat(replaced.getTrustedProxies()).isEqualTo(configured.getTrustedProxies());
	}

	@Test
	void requestWithoutForwardedHeadersIsPassedOnAsTheValveLeavesIt() throws Exception {
		Seen seen = send(TRUSTED, "Accept: */*");
		assertThat(seen.scheme()).isEqualTo("http");
		assertThat(seen.remoteAddr()).isEqualTo(TRUSTED);
		assertThat(seen.status()).isEqualTo(200);
	}

	@Test
	void trustedPeerSayingForwardedProtoHttpsIsHttps() throws Exception {
		Seen seen = send(TRUSTED, "X-Forwarded-Proto: https", "X-Forwarded-For: 203.0.113.7");
		assertThat(seen.scheme()).isEqualTo("https");
		assertThat(seen.secure()).isTrue();
		assertThat(seen.remoteAddr()).isEqualTo("203.0.113.7");
	}

	@Test
	void trustedPeerSayingForwardedSslOnIsHttps() throws Exception {
		Seen seen = send(TRUSTED, "X-Forwarded-Ssl: on");
		assertThat(seen.scheme()).isEqualTo("https");
		assertThat(seen.secure()).isTrue();
	}

	@Test
	void trustedPeerSayingForwardedProtocolSslIsHttps() throws Exception {
		Seen seen = send(TRUSTED, "X-Forwarded-Protocol: ssl");
		assertThat(seen.scheme()).isEqualTo("https");
	}

	@Test
	void trustedPeerSayingForwardedSslOffIsHttp() throws Exception {
		Seen seen = send(TRUSTED, "X-Forwarded-Ssl: off");
		assertThat(seen.scheme()).isEqualTo("http");
		assertThat(seen.secure()).isFalse();
	}

	@Test
	void untrustedPeerSayingForwardedSslOnIsIgnored() throws Exception {
		Seen seen = send(UNTRUSTED, "X-Forwarded-Ssl: on", "X-Forwarded-Protocol: ssl");
		assertThat(seen.scheme()).isEqualTo("http");
		assertThat(seen.status()).isEqualTo(200);
	}

	@Test
	void untrustedPeerWithContradictorySchemeHeadersIsServed() throws Exception {
		Seen seen = send(UNTRUSTED, "X-Forwarded-Proto: https", "X-Forwarded-Ssl: off");
		assertThat(seen.status()).isEqualTo(200);
		assertThat(seen.scheme()).isEqualTo("http");
	}

	@Test
	void translatedHeaderIsRemovedOnceTheRequestLeavesTheValve() throws Exception {
		Request request = request(TRUSTED, "X-Forwarded-Ssl: on");
		Recorder next = new Recorder();
		ForwardedHeadersValve valve = new ForwardedHeadersValve(remoteIpValve());
		valve.setNext(next);
		valve.invoke(request, response(request));
		assertThat(next.forwardedProto).isEqualTo("https");
		assertThat(request.getHeader("X-Forwarded-Proto")).isNull();
		assertThat(request.getScheme()).isEqualTo("http");
	}

	private static RemoteIpValve remoteIpValve() {
		// As Spring Boot configures it for FORWARDED_ALLOW_IPS=127.0.0.1,::1
		RemoteIpValve valve = new RemoteIpValve();
		valve.setRemoteIpHeader("X-Forwarded-For");
		valve.setProtocolHeader("X-Forwarded-Proto");
		valve.setInternalProxies("127.0.0.1/32, ::1/128");
		return valve;
	}

	private static Seen send(String peer, String... headers) throws Exception {
		Request request = request(peer, headers);
		Response response = response(request);
		Recorder next = new Recorder();
		ForwardedHeadersValve valve = new ForwardedHeadersValve(remoteIpValve());
		valve.setNext(next);
		valve.invoke(request, response);
		return new Seen(next.scheme, next.secure, next.remoteAddr, response.getStatus());
	}

	private static Request request(String peer, String... headers) {
		org.apache.coyote.Request coyote = new org.apache.coyote.Request();
		coyote.scheme().setString("http");
		for (String header : headers) {
			int colon = header.indexOf(':');
			coyote.getMimeHeaders().addValue(header.substring(0, colon)).setString(header.substring(colon + 1).strip());
		}
		Request request = new Request(new Connector(), coyote);
		request.setRemoteAddr(peer);
		return request;
	}

	private static Response response(Request request) {
		org.apache.coyote.Response coyote = new org.apache.coyote.Response();
		Response response = new Response(coyote);
		response.setRequest(request);
		request.setResponse(response);
		return response;
	}

	private record Seen(String scheme, boolean secure, String remoteAddr, int status) {

	}

	/**
	 * The next valve, recording what it was given.
	 */
	private static final class Recorder extends ValveBase {

		private String scheme;

		private boolean secure;

		private String remoteAddr;

		private String forwardedProto;

		@Override
		public void invoke(Request request, Response response) {
			this.scheme = request.getScheme();
			this.secure = request.isSecure();
			this.remoteAddr = request.getRemoteAddr();
			this.forwardedProto = request.getHeader("X-Forwarded-Proto");
		}

	}

}
