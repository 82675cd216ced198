package dev.twelvefactor.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 written by hand on a socket of its own: requests that an HTTP client library
 * would refuse to send (a hostile client's bytes, a request line past a limit, a hundred
 * header fields), from a chosen local address, such as {@code 127.0.0.2} to be a peer
 * that a server does not trust. The request asks for {@code Connection: close} and the
 * response is read to the end of the stream.
 *
 * @author twelvefactor
 */
final class RawHttp {

	private RawHttp() {
	}

	/**
	 * Return a request with the given request line and one header field, on a connection to
	 * be closed after it.
	 * @param requestLine the request line, as sent
	 * @param header a header field, as sent
	 * @return the request's bytes
	 */
	static byte[] request(String requestLine, String header) {
		return bytes(requestLine + "\r\nHost: localhost\r\n" + header + "\r\nConnection: close\r\n\r\n");
	}

	/**
	 * Return the bytes of a string in which each character stands for one byte.
	 * @param latin1 the string
	 * @return its bytes
	 */
	static byte[] bytes(String latin1) {
		return latin1.getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Send a request on a connection of its own and read until the server closes it,
	 * asserting that it answered something.
	 * @param port the server's port on 127.0.0.1
	 * @param request the request's bytes
	 * @throws IOException if the connection fails
	 */
	static void send(int port, byte[] request) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			OutputStream output = socket.getOutputStream();
			output.write(request);
			output.flush();
			InputStream input = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			input.transferTo(response);
			assertThat(response.size()).isPositive();
		}
	}

	/**
	 * Send a GET request.
	 * @param from the local address to connect from
	 * @param to the server's address
	 * @param port the server's port
	 * @param target the request target, such as {@code /client}
	 * @param headers header lines, such as {@code X-Forwarded-Proto: https}, besides
	 * {@code Host} and {@code Connection: close}
	 * @return the response
	 */
	static Response get(String from, String to, int port, String target, String... headers) {
		StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n");
		for (String header : headers) {
			request.append(header).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		return send(from, to, port, request.toString().getBytes(StandardCharsets.ISO_8859_1));
	}

	/**
	 * Send raw bytes as a request and read the response.
	 * @param from the local address to connect from
	 * @param to the server's address
	 * @param port the server's port
	 * @param request the request
	 * @return the response
	 */
	static Response send(String from, String to, int port, byte[] request) {
		try (Socket socket = new Socket()) {
			socket.setSoTimeout(30_000);
			socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
			socket.connect(new InetSocketAddress(InetAddress.getByName(to), port), 5000);
			socket.getOutputStream().write(request);
			socket.getOutputStream().flush();
			return Response.parse(readAll(socket.getInputStream()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Request from " + from + " to " + to + ":" + port + " failed", ex);
		}
	}

	private static byte[] readAll(InputStream input) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try {
			for (int n = input.read(buffer); n >= 0; n = input.read(buffer)) {
				read.write(buffer, 0, n);
			}
		}
		catch (java.net.SocketException ex) {
			// A server that answers before reading the whole request may reset the
			// connection once the answer is sent: what arrived is the answer
			if (read.size() == 0) {
				throw ex;
			}
		}
		return read.toByteArray();
	}

	/**
	 * A response: its status, headers (names in lower case) and body.
	 *
	 * @param status the status code
	 * @param headers the header fields, by lower-case name
	 * @param body the body, decoded as UTF-8
	 */
	record Response(int status, Map<String, String> headers, String body) {

		static Response parse(byte[] bytes) {
			String text = new String(bytes, StandardCharsets.UTF_8);
			int end = text.indexOf("\r\n\r\n");
			if (!text.startsWith("HTTP/1.") || end < 0) {
				throw new IllegalStateException("Not an HTTP response: " + text);
			}
			String[] lines = text.substring(0, end).split("\r\n");
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
			}
			String body = text.substring(end + 4);
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				body = unchunk(body);
			}
			return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
		}

		private static String unchunk(String chunked) {
			StringBuilder body = new StringBuilder();
			int at = 0;
			while (true) {
				int lineEnd = chunked.indexOf("\r\n", at);
				int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
				if (size == 0) {
					return body.toString();
				}
				body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
				at = lineEnd + 2 + size + 2;
			}
		}

	}

}
