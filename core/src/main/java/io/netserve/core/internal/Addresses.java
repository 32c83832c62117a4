package io.netserve.core.internal;

import io.netserve.core.server.ServerStartException;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Resolving and printing addresses. */
public final class Addresses {

    private Addresses() {
    }

    /**
     * {@code host:port} with the address in its shortest form and IPv6 in brackets, e.g.
     * {@code 127.0.0.1:65432} or {@code [::1]:40123}.
     */
    public static String format(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            return NetUtil.toSocketAddressString(address.getHostString(), address.getPort());
        }
        return NetUtil.toSocketAddressString(NetUtil.toAddressString(ip, true), address.getPort());
    }

    /** {@code host} resolved, with {@code port}. */
    public static InetSocketAddress resolve(String host, int port) throws ServerStartException {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ServerStartException("cannot resolve host '" + host + "': unknown host", e);
        } catch (SecurityException e) {
            throw new ServerStartException("cannot resolve host '" + host + "': " + e.getMessage(), e);
        }
    }
}
