package io.netserve.core.internal;

import io.netserve.core.server.ServerStartException;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * Every address of {@code host}, with {@code port}, in the order the resolver gives them: one
     * for a literal, all of a name's (a client tries them in turn).
     *
     * @throws UnknownHostException saying {@code cannot resolve host '<host>': unknown host}
     */
    public static List<InetSocketAddress> resolveAll(String host, int port) throws UnknownHostException {
        InetAddress[] all;
        try {
            all = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            UnknownHostException unknown = new UnknownHostException("cannot resolve host '" + host + "': unknown host");
            unknown.initCause(e);
            throw unknown;
        }
        List<InetSocketAddress> addresses = new ArrayList<>(all.length);
        for (InetAddress a : all) {
            addresses.add(new InetSocketAddress(a, port));
        }
        return addresses;
    }
}
