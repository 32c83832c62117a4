package io.netserve.core.internal.admin;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket, for requests a well-behaved client would never
 * send (malformed, oversize, half-sent, pipelined) and for what a server does with the connection
 * afterwards. Every read has a timeout.
 */
final class RawHttp implements AutoCloseable {

    private static final int TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends {@code text} as ISO-8859-1 bytes, as it stands (write {@code \r\n} yourself). */
    RawHttp send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /** Reads one response whose body is as long as its {@code Content-Length}. */
    Response read() throws IOException {
        return read(true);
    }

    /** Reads the status line and headers of a response to {@code HEAD}: no body follows. */
    Response readHead() throws IOException {
        return read(false);
    }

    /** Whether the server closed the connection: the next read sees the end of the stream (or a reset). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private Response read(boolean body) throws IOException {
        String status = line();
        if (status == null) {
            throw new IOException("the server closed the connection before a response");
        }
        String[] parts = status.split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        String text = "";
        if (body && headers.containsKey("content-length")) {
            byte[] bytes = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        return new Response(parts[0], Integer.parseInt(parts[1]), headers, text);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** A response: status, headers keyed in lower case, and body. */
    record Response(String version, int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }
}
