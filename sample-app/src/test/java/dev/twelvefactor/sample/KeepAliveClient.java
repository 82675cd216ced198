package dev.twelvefactor.sample;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client over one kept-alive connection at a time, which never retries: a
 * request that gets no complete response fails, as with Python's {@code http.client}
 * ({@code RemoteDisconnected}) or a client behind kube-proxy. The JDK's {@code HttpClient}
 * would not do: it silently sends a {@code GET} again when a kept-alive connection turns
 * out to be closed, which hides the very loss the drain tests look for.
 * <p>
 * The connection is kept until the server answers {@code Connection: close} or closes it;
 * the next request then opens a new one.
 *
 * @author twelvefactor
 */
final class KeepAliveClient implements AutoCloseable {

	private final int port;

	private Socket socket;

	private InputStream input;

	private OutputStream output;

	private int connections;

	KeepAliveClient(int port) {
		this.port = port;
	}

	/**
	 * Send a {@code GET} and read its response, on the kept-alive connection if there is
	 * one, else on a new one.
	 * @param path the path
	 * @return the response
	 * @throws IOException if the connection fails or closes before the whole response
	 * arrived; the connection is then closed
	 */
	Response get(String path) throws IOException {
		boolean reused = this.socket != null;
		try {
			if (!reused) {
				connect();
			}
			this.output.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + this.port + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			this.output.flush();
			Response response = read(reused);
			if ("close".equalsIgnoreCase(response.header("Connection"))) {
				close();
			}
			return response;
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Return how many connections the client opened.
	 * @return the connections opened
	 */
	int connections() {
		return this.connections;
	}

	private void connect() throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		socket.setSoTimeout(30_000);
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5_000);
		this.socket = socket;
		this.input = new BufferedInputStream(socket.getInputStream());
		this.output = socket.getOutputStream();
		this.connections++;
	}

	private Response read(boolean reused) throws IOException {
		String statusLine = readLine();
		if (statusLine == null) {
			throw new IOException("Connection closed without a response");
		}
		if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
			throw new IOException("Not an HTTP/1.1 status line: " + statusLine);
		}
		int status = Integer.parseInt(statusLine.substring(9, 12));
		Map<String, String> headers = new LinkedHashMap<>();
		for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
		}
		String body;
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			body = readChunked();
		}
		else {
			int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
			byte[] bytes = this.input.readNBytes(length);
			if (bytes.length < length) {
				throw new IOException("Connection closed in the middle of the body");
			}
			body = new String(bytes, StandardCharsets.UTF_8);
		}
		return new Response(status, headers, body, !reused);
	}

	private String readChunked() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String size = readLine();
			if (size == null) {
				throw new IOException("Connection closed in the middle of a chunked body");
			}
			int length = Integer.parseInt(size.split(";")[0].trim(), 16);
			if (length == 0) {
				for (String trailer = readLine(); trailer != null && !trailer.isEmpty(); trailer = readLine()) {
					// Trailers are not used
				}
				return body.toString(StandardCharsets.UTF_8);
			}
			byte[] chunk = this.input.readNBytes(length);
			if (chunk.length < length) {
				throw new IOException("Connection closed in the middle of a chunk");
			}
			body.write(chunk);
			readLine();
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = this.input.read(); b != -1; b = this.input.read()) {
			if (b == '\n') {
				String text = line.toString(StandardCharsets.US_ASCII);
				return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
			}
			line.write(b);
		}
		return null;
	}

	@Override
	public void close() {
		if (this.socket != null) {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Closing anyway
			}
			this.socket = null;
		}
	}

	/**
	 * A response.
	 *
	 * @param status the status code
	 * @param headers the headers, by lower-case name
	 * @param body the body
	 * @param newConnection whether the request went on a new connection
	 */
	record Response(int status, Map<String, String> headers, String body, boolean newConnection) {

		String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

}
